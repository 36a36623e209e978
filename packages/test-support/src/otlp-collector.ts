import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

// An OpenTelemetry collector as far as traces over OTLP/HTTP go: POST /v1/traces
// in either encoding the exporters use (http/protobuf: ExportTraceServiceRequest
// in protobuf; http/json: the same in OTLP's JSON mapping), decoded to plain spans.

export type SpanKindName = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type AttributeValue = string | number | boolean;

/** One span as received: hex ids, the kind's name, the service that sent it, flat attributes. */
export type CollectedSpan = {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: SpanKindName;
  service: string;
  attributes: Record<string, AttributeValue>;
};

const KINDS: readonly SpanKindName[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

type Field = { field: number; wire: number; value: bigint | Buffer };

/** The fields of one protobuf message, in order (varints as bigint, length-delimited and fixed as bytes). */
function fields(buffer: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buffer[at++];
      if (byte === undefined) throw new Error('protobuf: truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  const take = (length: number): Buffer => {
    const bytes = buffer.subarray(at, at + length);
    if (bytes.length !== length) throw new Error('protobuf: truncated field');
    at += length;
    return bytes;
  };
  while (at < buffer.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 1) out.push({ field, wire, value: take(8) });
    else if (wire === 2) out.push({ field, wire, value: take(Number(varint())) });
    else if (wire === 5) out.push({ field, wire, value: take(4) });
    else throw new Error(`protobuf: wire type ${wire} is not used by OTLP`);
  }
  return out;
}

const bytesOf = (list: Field[], field: number): Buffer[] =>
  list.filter((f) => f.field === field && Buffer.isBuffer(f.value)).map((f) => f.value as Buffer);
const firstBytes = (list: Field[], field: number): Buffer => bytesOf(list, field)[0] ?? Buffer.alloc(0);
const varintOf = (list: Field[], field: number): bigint => {
  const found = list.find((f) => f.field === field && typeof f.value === 'bigint');
  return (found?.value as bigint | undefined) ?? 0n;
};

/** AnyValue: the scalar kinds (arrays and maps, unused here, as their JSON). */
function protoValue(buffer: Buffer): AttributeValue {
  const [value] = fields(buffer);
  if (!value) return '';
  if (value.field === 1) return (value.value as Buffer).toString('utf8');
  if (value.field === 2) return value.value === 1n;
  if (value.field === 3) return Number(BigInt.asIntN(64, value.value as bigint));
  if (value.field === 4) return (value.value as Buffer).readDoubleLE(0);
  return `<${value.field}>`;
}

function protoAttributes(list: Field[], field: number): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const kv of bytesOf(list, field)) {
    const parts = fields(kv);
    attributes[firstBytes(parts, 1).toString('utf8')] = protoValue(firstBytes(parts, 2));
  }
  return attributes;
}

function decodeProtobuf(body: Buffer): CollectedSpan[] {
  const spans: CollectedSpan[] = [];
  for (const resourceSpans of bytesOf(fields(body), 1)) {
    const rs = fields(resourceSpans);
    const service = String(protoAttributes(fields(firstBytes(rs, 1)), 1)['service.name'] ?? '');
    for (const scopeSpans of bytesOf(rs, 2)) {
      for (const raw of bytesOf(fields(scopeSpans), 2)) {
        const span = fields(raw);
        spans.push({
          traceId: firstBytes(span, 1).toString('hex'),
          spanId: firstBytes(span, 2).toString('hex'),
          parentSpanId: firstBytes(span, 4).toString('hex'),
          name: firstBytes(span, 5).toString('utf8'),
          kind: KINDS[Number(varintOf(span, 6))] ?? 'unspecified',
          service,
          attributes: protoAttributes(span, 9),
        });
      }
    }
  }
  return spans;
}

type JsonValue = { stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number };
type JsonKeyValue = { key: string; value: JsonValue };
type JsonSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string; kind?: number; attributes?: JsonKeyValue[] };
type JsonRequest = {
  resourceSpans?: { resource?: { attributes?: JsonKeyValue[] }; scopeSpans?: { spans?: JsonSpan[] }[] }[];
};

function jsonValue(value: JsonValue): AttributeValue {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.doubleValue ?? '';
}

const jsonAttributes = (list: JsonKeyValue[] = []) => Object.fromEntries(list.map(({ key, value }) => [key, jsonValue(value)]));

function decodeJson(body: Buffer): CollectedSpan[] {
  const request = JSON.parse(body.toString('utf8')) as JsonRequest;
  return (request.resourceSpans ?? []).flatMap((rs) => {
    const service = String(jsonAttributes(rs.resource?.attributes)['service.name'] ?? '');
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: KINDS[span.kind ?? 0] ?? 'unspecified',
        service,
        attributes: jsonAttributes(span.attributes),
      })),
    );
  });
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      resolve(request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body);
    });
    request.on('error', reject);
  });
}

/** Starts the collector on a free loopback port. `url` is what OTEL_EXPORTER_OTLP_ENDPOINT takes. */
export async function startOtlpCollector() {
  const spans: CollectedSpan[] = [];
  /** The content types of the exports received (which encoding the exporters used). */
  const contentTypes = new Set<string>();
  const answer = (response: ServerResponse, status: number, type: string, body: string) =>
    response.writeHead(status, { 'content-type': type }).end(body);
  const server = createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/traces') return answer(response, 404, 'text/plain', 'POST /v1/traces only');
    const type = String(request.headers['content-type'] ?? '').split(';')[0] ?? '';
    readBody(request).then(
      (body) => {
        try {
          const json = type === 'application/json';
          if (!json && type !== 'application/x-protobuf') return answer(response, 415, 'text/plain', type);
          spans.push(...(json ? decodeJson(body) : decodeProtobuf(body)));
          contentTypes.add(type);
          // An empty ExportTraceServiceResponse: full success.
          return json ? answer(response, 200, type, '{}') : answer(response, 200, type, '');
        } catch (error) {
          return answer(response, 400, 'text/plain', error instanceof Error ? error.message : 'undecodable');
        }
      },
      () => answer(response, 400, 'text/plain', 'unreadable'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    /** Every span of one trace received so far. */
    trace: (traceId: string) => spans.filter((s) => s.traceId === traceId),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type OtlpCollector = Awaited<ReturnType<typeof startOtlpCollector>>;
