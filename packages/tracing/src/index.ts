import { createRequire } from 'node:module';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { installTracing, type TracingHooks } from '@kyc/runtime';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BullMQOtel } from 'bullmq-otel';
import { createHooks, rootWorkOnly } from './hooks.ts';
import { fastifyRequestHook, IGNORED_PATHS } from './fastify.ts';
import { apiUrlAttributes, originAttributes } from './client-urls.ts';

/** The OTLP/HTTP encodings supported (the standard variable's values); gRPC is not. */
const PROTOCOLS = ['http/protobuf', 'http/json'] as const;

export class TracingConfigError extends Error {}

/** OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf (the specification's default). */
export function exportProtocol(env: NodeJS.ProcessEnv = process.env): (typeof PROTOCOLS)[number] {
  const value = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf').trim();
  const known = PROTOCOLS.find((p) => p === value);
  if (!known) throw new TracingConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL must be ${PROTOCOLS.join(' or ')} (got ${value})`);
  return known;
}

function exporter(env: NodeJS.ProcessEnv): SpanExporter {
  // Both read the endpoint, headers and timeout from the standard OTEL_EXPORTER_OTLP_* variables.
  return exportProtocol(env) === 'http/json' ? new JsonExporter() : new ProtobufExporter();
}

/** An outgoing node:http request's span: the origin of its URL only (an endpoint's URL may carry a token). */
function originOnly(span: object): Record<string, string> {
  const attributes = (span as { attributes?: Record<string, unknown> }).attributes ?? {};
  const url = attributes['url.full'] ?? attributes['http.url'];
  let origin = 'unknown';
  try {
    origin = new URL(String(url)).origin;
  } catch {
    // not a URL: nothing of it is kept
  }
  return originAttributes(origin);
}

/**
 * The HTTP client (deliveries: origin only), undici (fetch: Sumsub's API, the
 * path's template; client-urls.ts) and pg. Spans only inside a trace: the
 * relay's polling and pool housekeeping are not traced. pg
 * records the statement text, never its parameters (enhancedDatabaseReporting
 * off): every statement here passes its values as parameters.
 */
function clientInstrumentations(applicantIds: boolean) {
  return [
    new HttpInstrumentation({
      disableIncomingRequestInstrumentation: true,
      requireParentforOutgoingSpans: true,
      applyCustomAttributesOnSpan: (span) => span.setAttributes(originOnly(span)),
    }),
    new UndiciInstrumentation({
      requireParentforSpans: true,
      requestHook: (span, request) => span.setAttributes(apiUrlAttributes(request.origin, request.path, applicantIds)),
    }),
    new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true, ignoreConnectSpans: true }),
  ];
}

/**
 * Starts the OpenTelemetry SDK for this process (or worker thread) and installs
 * the hooks the code calls. Must run before `pg` is first imported, so its
 * instrumentation can patch it; the entry points import the rest afterwards.
 * `defaultServiceName` applies unless OTEL_SERVICE_NAME (or service.name in
 * OTEL_RESOURCE_ATTRIBUTES) says otherwise; the sampler is OTEL_TRACES_SAMPLER
 * and OTEL_TRACES_SAMPLER_ARG (default parentbased_always_on).
 */
export function startTracing(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): TracingHooks {
  const applicantIds = env.TRACE_APPLICANT_IDS === '1';
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': defaultServiceName }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter(env))] });
  provider.register(); // the AsyncLocalStorage context manager and the W3C trace-context propagator
  registerInstrumentations({ tracerProvider: provider, instrumentations: clientInstrumentations(applicantIds) });
  // The modules' exports are patched when required; ESM imports of them share these objects.
  const require = createRequire(import.meta.url);
  require('node:http');
  require('node:https');
  // One server span per request; no span per hook or for the handler (they would triple intake's spans).
  const fastify = new FastifyOtelInstrumentation({
    instrumentHooks: false,
    instrumentHandler: false,
    ignorePaths: ({ url }) => IGNORED_PATHS.has(url.split('?')[0] ?? url),
    requestHook: fastifyRequestHook(applicantIds),
  });
  fastify.setTracerProvider(provider);
  const bullmq = new BullMQOtel({ tracerName: 'kyc-webhooks' });
  const hooks = createHooks({
    telemetry: { tracer: rootWorkOnly(bullmq.tracer), contextManager: bullmq.contextManager },
    fastifyPlugin: fastify.plugin(),
    applicantIds,
    tracer: provider.getTracer('kyc-webhooks'),
    shutdown: () => provider.shutdown(),
  });
  installTracing(hooks);
  return hooks;
}
