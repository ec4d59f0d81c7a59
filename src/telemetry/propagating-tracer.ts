import {
  type Context,
  context as contextApi,
  isSpanContextValid,
  type Span,
  type SpanOptions,
  trace,
  TraceFlags,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace';

/**
 * The tracer when nothing records spans (export off): each span is the API's non-recording span
 * with ids of its own from the SDK's generator, in the caller's trace with the caller's flags
 * and tracestate (or a new sampled trace). Its ids travel in traceparent, traceresponse and the
 * logs exactly as a recorded span's would; only the recording, which nobody reads, is skipped.
 */
export class PropagatingTracerProvider implements TracerProvider {
  private readonly tracer = new PropagatingTracer();

  getTracer(): Tracer {
    return this.tracer;
  }
}

class PropagatingTracer implements Tracer {
  private readonly ids = new RandomIdGenerator();

  startSpan(_name: string, options: SpanOptions = {}, context: Context = contextApi.active()): Span {
    const parent = options.root ? undefined : trace.getSpanContext(context);
    const inTrace = parent !== undefined && isSpanContextValid(parent);
    return trace.wrapSpanContext({
      traceId: inTrace ? parent.traceId : this.ids.generateTraceId(),
      spanId: this.ids.generateSpanId(),
      traceFlags: inTrace ? parent.traceFlags : TraceFlags.SAMPLED,
      traceState: inTrace ? parent.traceState : undefined,
    });
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...args: unknown[]): ReturnType<F> {
    const fn = args.at(-1) as F;
    const options = (args.length > 1 ? args[0] : undefined) as SpanOptions | undefined;
    const parent = (args.length > 2 ? args[1] : contextApi.active()) as Context;
    const span = this.startSpan(name, options, parent);
    return contextApi.with(trace.setSpan(parent, span), () => fn(span)) as ReturnType<F>;
  }
}
