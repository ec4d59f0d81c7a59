import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

// OTLP's protobuf messages as OpenTelemetry's JavaScript packages generated them (protobufjs).
interface ProtobufType {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): unknown;
}
const generated = createRequire(import.meta.url)('otlp-transformer-protobuf/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: ProtobufType } } } } };
};
const EXPORT_REQUEST = generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** One received span, ids in lower-case hex, attributes as plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  links: { traceId: string; spanId: string }[];
  status: { code?: number };
  resource: Record<string, unknown>;
  /** How it arrived: `protobuf` or `json`. */
  encoding: string;
}

/** A real OTLP/HTTP trace receiver (POST /v1/traces, protobuf or JSON), keeping what it got. */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Every request body as received, for scanning. */
  readonly bodies: Buffer[] = [];
  /** Exports it could not decode. */
  readonly errors: string[] = [];
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const body = Buffer.concat(chunks);
      this.bodies.push(body);
      const json = (req.headers['content-type'] ?? '').startsWith('application/json');
      try {
        this.spans.push(...(json ? fromJson(body) : fromProtobuf(body)));
      } catch (error) {
        // An undecodable export is the service's fault: the test sees it here, the exporter a 400.
        this.errors.push(String(error));
        res.writeHead(400).end();
        return;
      }
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : undefined);
    });
  });
  url = '';

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    return receiver;
  }

  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface OtlpKeyValue {
  key: string;
  value: Record<string, unknown>;
}
/** An id: hex in OTLP JSON, bytes in protobuf. */
type OtlpId = string | Uint8Array;

interface OtlpSpan {
  traceId: OtlpId;
  spanId: OtlpId;
  parentSpanId?: OtlpId;
  name: string;
  kind: number;
  attributes?: OtlpKeyValue[];
  events?: { name: string; attributes?: OtlpKeyValue[] }[];
  links?: { traceId: OtlpId; spanId: OtlpId }[];
  status?: { code?: number };
}
interface OtlpRequest {
  resourceSpans?: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

function fromProtobuf(body: Buffer): ReceivedSpan[] {
  const request = EXPORT_REQUEST.toObject(EXPORT_REQUEST.decode(body), {
    longs: Number,
    enums: Number,
    defaults: false,
  }) as OtlpRequest;
  return spansOf(request, 'protobuf');
}

function fromJson(body: Buffer): ReceivedSpan[] {
  return spansOf(JSON.parse(body.toString('utf8')) as OtlpRequest, 'json');
}

function spansOf(request: OtlpRequest, encoding: string): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap(({ resource, scopeSpans }) => {
    const resourceAttributes = attributesOf(resource?.attributes);
    return (scopeSpans ?? []).flatMap(({ spans }) =>
      (spans ?? []).map((span) => ({
        traceId: hexOf(span.traceId),
        spanId: hexOf(span.spanId),
        parentSpanId: hexOf(span.parentSpanId),
        name: span.name,
        kind: span.kind,
        attributes: attributesOf(span.attributes),
        events: (span.events ?? []).map((event) => ({ name: event.name, attributes: attributesOf(event.attributes) })),
        links: (span.links ?? []).map((link) => ({ traceId: hexOf(link.traceId), spanId: hexOf(link.spanId) })),
        status: span.status ?? {},
        resource: resourceAttributes,
        encoding,
      })),
    );
  });
}

function hexOf(id: OtlpId | undefined): string {
  return id === undefined ? '' : typeof id === 'string' ? id : Buffer.from(id).toString('hex');
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries(
    (list ?? []).map(({ key, value }) => {
      const [kind, plain] = Object.entries(value)[0] ?? [];
      return [key, kind === 'intValue' ? Number(plain) : plain];
    }),
  );
}
