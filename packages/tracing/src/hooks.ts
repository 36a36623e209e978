import type { OwnSpan, SpanAttributes, TracingHooks } from '@kyc/runtime';
import {
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import type { Telemetry, Tracer as BullTracer } from 'bullmq';
import { BullMQOTelSpan } from 'bullmq-otel';
import type { FastifyPluginCallback } from 'fastify';

type HookParts = {
  telemetry: Telemetry<Context>;
  fastifyPlugin: FastifyPluginCallback;
  applicantIds: boolean;
  tracer: Tracer;
  shutdown: () => Promise<void>;
};

/**
 * BullMQ traces its own housekeeping too (fetching the next job, stalled-job
 * checks, closing), each as a new trace, several a second per worker. Only a
 * job's processing may start a trace; anything else is kept when it is part of
 * one (an add inside a request) and dropped otherwise.
 */
export function rootWorkOnly(tracer: BullTracer<Context>): BullTracer<Context> {
  return {
    startSpan(name, options, ctx) {
      const parent = trace.getSpanContext(ctx ?? context.active());
      const inTrace = parent !== undefined && isSpanContextValid(parent);
      // BullMQ's SpanKind has OpenTelemetry's values.
      const consumer: number = SpanKind.CONSUMER;
      if (inTrace || Number(options?.kind) === consumer) return tracer.startSpan(name, options, ctx);
      return new BullMQOTelSpan(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
    },
  };
}

/** A stored traceparent as a parent context (the root context when it is absent or malformed). */
function parentContext(traceparent: string | undefined): Context {
  if (!traceparent) return context.active();
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

export function createHooks({ telemetry, fastifyPlugin, applicantIds, tracer, shutdown }: HookParts): TracingHooks {
  const activeContext = () => trace.getSpanContext(context.active());
  return {
    telemetry,
    fastifyPlugin,
    applicantIds,
    shutdown,
    annotate(attributes: SpanAttributes) {
      trace.getActiveSpan()?.setAttributes(attributes);
    },
    traceparent() {
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      return carrier.traceparent;
    },
    traceId() {
      const span = activeContext();
      return span && isSpanContextValid(span) && (span.traceFlags & 1) === 1 ? span.traceId : undefined;
    },
    logFields(): Record<string, string> {
      const span = activeContext();
      return span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
    },
    startSpan(name, kind, attributes, parent): OwnSpan {
      const span = tracer.startSpan(
        name,
        { kind: kind === 'producer' ? SpanKind.PRODUCER : SpanKind.INTERNAL, attributes },
        parentContext(parent),
      );
      return {
        jobMetadata: telemetry.contextManager.getMetadata(trace.setSpan(parentContext(parent), span)),
        end(more, failed) {
          if (more) span.setAttributes(more);
          if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
  };
}
