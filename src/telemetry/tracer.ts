import { ProxyTracerProvider, type Tracer, trace } from '@opentelemetry/api';

/** The service's tracer: a proxy until startTelemetry registers the provider, then that provider's. */
export const tracer = trace.getTracer('groups-bff');

// A proxy with no provider behind it is the API's no-op tracer: its spans record nothing and
// carry their parent's ids, so what is made inside them still belongs to the request's trace.
const nonRecording = new ProxyTracerProvider().getTracer('groups-bff');
let local: Tracer = tracer;

/**
 * The tracer of the spans whose ids never leave the process (Redis commands, internal steps):
 * the service's while spans are exported or processed, else the no-op one. Only the server and
 * DeepCall spans' ids travel (traceparent, traceresponse, logs), so only they need to be real then.
 */
export function localTracer(): Tracer {
  return local;
}

/** Called once by startTelemetry: whether anything will ever read the local spans. */
export function recordLocalSpans(record: boolean): void {
  local = record ? tracer : nonRecording;
}

/** Whether anything records spans (export, or a test's processor): else their attributes are never read. */
export function spansRecorded(): boolean {
  return local === tracer;
}

/**
 * Whether a child of the active span can be recorded: the active span is, or, without one, spans
 * are recorded at all. Under every sampler the OTEL_TRACES_SAMPLER variable names (parent-based,
 * trace id ratio, always on or off), a local parent that is not recorded has children that are
 * not either, so their attributes would only be built to be dropped.
 */
export function childRecordable(): boolean {
  return trace.getActiveSpan()?.isRecording() ?? spansRecorded();
}
