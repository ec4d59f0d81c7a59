import {
  type Attributes,
  type Context,
  ProxyTracerProvider,
  type Span,
  type SpanOptions,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { PropagatingTracerProvider } from './propagating-tracer.js';

/** The service's tracer: a proxy until startTelemetry registers the provider, then that provider's. */
export const tracer = trace.getTracer('groups-bff');

// A proxy with no provider behind it is the API's no-op tracer: its spans record nothing and
// carry their parent's ids, so what is made inside them still belongs to the request's trace.
const nonRecording = new ProxyTracerProvider().getTracer('groups-bff');
// Spans with ids of their own and nothing recorded, whatever provider is registered.
const idsOnly = new PropagatingTracerProvider().getTracer();
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
function spansRecorded(): boolean {
  return local === tracer;
}

/**
 * The tracer of a child span whose ids travel (a DeepCall attempt's): the service's when the
 * child can be recorded, else one that only gives it ids, as the SDK would for an unsampled
 * span, without the SDK's sampling of a span whose parent already decided. A child can be
 * recorded when the active span is, or, without one, when spans are recorded at all: under every
 * sampler the OTEL_TRACES_SAMPLER variable names (parent-based, trace id ratio, always on or
 * off), a local parent that is not recorded has children that are not either.
 */
export function childTracer(): Tracer {
  return (trace.getActiveSpan()?.isRecording() ?? spansRecorded()) ? tracer : idsOnly;
}

/**
 * Starts a span and gives it its attributes only once it is recorded. The samplers the SDK can
 * be configured with (OTEL_TRACES_SAMPLER or its configuration file) decide on the ids and the
 * parent alone, never on attributes, so none decides differently. An unsampled span skips
 * building and checking them; a sampled one has them checked once, where the SDK checks those
 * given at the start twice. (A processor's onStart sees the span before them; the batch
 * processor reads spans at their end.)
 */
export function startSpanWith(
  from: Tracer,
  name: string,
  options: SpanOptions,
  attributes: () => Attributes,
  context?: Context,
): Span {
  const span = from.startSpan(name, options, context);
  if (span.isRecording()) span.setAttributes(attributes());
  return span;
}
