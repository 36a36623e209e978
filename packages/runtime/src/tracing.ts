import type { Telemetry } from 'bullmq';
import type { FastifyPluginCallback } from 'fastify';

// The seam between the code and OpenTelemetry. Tracing is on only when an OTLP
// address is configured; then @kyc/tracing (the SDK, exporters, instrumentations)
// is loaded first thing in the process and installs these hooks. Off, nothing of
// OpenTelemetry is loaded, every hook below is absent, and each call site costs
// one `undefined` check.

/** What may be put on a span: ids, names of things, counts, outcomes; never payload fields. */
export type SpanAttributes = Record<string, string | number | boolean>;

/** A span the code started itself (the intake's enqueue, the relay's hand-over). */
export type OwnSpan = {
  /** BullMQ telemetry metadata: a job added with it continues this span's trace. */
  readonly jobMetadata: string;
  end(attributes?: SpanAttributes, failed?: boolean): void;
};

export type TracingHooks = {
  /** `telemetry` for every BullMQ Queue and Worker (bullmq-otel). */
  telemetry: Telemetry;
  /** @fastify/otel's plugin: a server span per request, continuing an incoming traceparent. */
  fastifyPlugin: FastifyPluginCallback;
  /** TRACE_APPLICANT_IDS=1: applicant ids may go on spans (off by default). */
  applicantIds: boolean;
  /** Sets attributes on the active span, if any. */
  annotate(attributes: SpanAttributes): void;
  /** The active span's W3C traceparent, to be stored beside work done later (the outbox row). */
  traceparent(): string | undefined;
  /** The active span's trace id (for exemplars), if it is sampled. */
  traceId(): string | undefined;
  /** Starts a span under the active context, or under `parent` (a stored traceparent) when given. */
  startSpan(name: string, kind: 'producer' | 'internal', attributes: SpanAttributes, parent?: string): OwnSpan;
  /** trace_id and span_id of the active span, for a log line. */
  logFields(): Record<string, string>;
  /** Exports what is buffered and stops; at shutdown. */
  shutdown(): Promise<void>;
};

let installed: TracingHooks | undefined;

/** Called once by @kyc/tracing when it started. */
export function installTracing(hooks: TracingHooks): void {
  installed = hooks;
}

/** The hooks, when tracing is on. */
export function tracing(): TracingHooks | undefined {
  return installed;
}

/**
 * Tracing is on when an OTLP address is configured (the standard variables:
 * OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), and not
 * switched off with OTEL_SDK_DISABLED=true.
 */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/** `{ telemetry }` for a BullMQ Queue or Worker's options: empty when tracing is off. */
export function queueTelemetry(): { telemetry?: Telemetry } {
  return installed ? { telemetry: installed.telemetry } : {};
}

/** The span attribute for an applicant id: present only with TRACE_APPLICANT_IDS=1. */
export function applicantAttribute(applicantId: string | null | undefined): SpanAttributes {
  return installed?.applicantIds && applicantId ? { 'kyc.applicant_id': applicantId } : {};
}

type TracingModule = { startTracing(defaultServiceName: string): TracingHooks };

/**
 * First thing in an entry point: when tracing is configured, loads @kyc/tracing
 * (through `load`, so nothing of OpenTelemetry is loaded otherwise) and starts it.
 * A bad tracing setting ends the process with a message, like any bad setting.
 */
export async function startTracingIfConfigured(service: string, load: () => Promise<TracingModule>): Promise<void> {
  if (!tracingConfigured()) return;
  try {
    (await load()).startTracing(service);
  } catch (error) {
    process.stderr.write(`${service}: tracing: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
