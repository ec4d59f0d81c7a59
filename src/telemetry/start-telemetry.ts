// OpenTelemetry, started by main.ts before the application is loaded (and by buildApp, for the
// tests that build the application in-process). Propagation is always on: a tracer provider makes
// the server and DeepCall spans whose ids travel in traceparent, traceresponse, the logs and the
// problems. Export is off unless the standard OTEL_* variables ask for it; then OpenTelemetry's
// Node SDK reads them all itself (exporter, protocol, endpoint, sampler, batch processor, resource).
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  getBooleanFromEnv,
  getStringFromEnv,
  getStringListFromEnv,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { AlwaysOnSampler, ParentBasedSampler, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { PropagatingTracerProvider } from './propagating-tracer.js';
import { recordLocalSpans } from './tracer.js';

export interface Telemetry {
  /** Spans leave the process (an exporter is configured). */
  readonly exporting: boolean;
  /** Sends what is queued; called when the application shuts down. */
  flush(): Promise<void>;
}

let started: Promise<Telemetry> | undefined;

/**
 * Starts telemetry once per process; later calls get the same. `spanProcessors` (the unit tier's
 * in-memory exporter) replaces export from the environment.
 */
export function startTelemetry(options: { spanProcessors?: SpanProcessor[] } = {}): Promise<Telemetry> {
  started ??=
    options.spanProcessors === undefined && exportRequested()
      ? import('./exporting-sdk.js').then(({ startExportingSdk }) => startExportingSdk())
      : Promise.resolve(startPropagationOnly(options.spanProcessors ?? []));
  return started;
}

/**
 * Export is asked for by an OTLP endpoint or by OTEL_TRACES_EXPORTER (other than `none`), and
 * refused by OTEL_SDK_DISABLED. Unlike the SDK's own default (otlp to localhost), nothing is
 * sent unless asked.
 */
export function exportRequested(): boolean {
  if (getBooleanFromEnv('OTEL_SDK_DISABLED')) return false;
  const exporters = getStringListFromEnv('OTEL_TRACES_EXPORTER')?.filter((name) => name !== '');
  if (exporters && exporters.length > 0) return !exporters.every((name) => name === 'none');
  return (
    getStringFromEnv('OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined ||
    getStringFromEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined
  );
}

/**
 * W3C propagation without recording: spans with ids and parents that nothing processes, the
 * least cost (bench/README.md, "Tracing"). A test's span processors get recorded spans instead.
 */
function startPropagationOnly(spanProcessors: SpanProcessor[]): Telemetry {
  const provider =
    spanProcessors.length > 0
      ? new TracerProvider({ sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }), spanProcessors })
      : new PropagatingTracerProvider();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  // Nothing reads a Redis or internal span unless a processor was given: those cost nothing then.
  recordLocalSpans(spanProcessors.length > 0);
  return {
    exporting: false,
    flush: () => (provider instanceof TracerProvider ? provider.forceFlush() : Promise.resolve()),
  };
}
