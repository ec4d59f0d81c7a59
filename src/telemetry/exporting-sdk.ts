// Loaded only when export is asked for: the Node SDK and its exporters stay out of the process otherwise.
import { type ProxyTracerProvider, trace } from '@opentelemetry/api';
import {
  getNumberFromEnv,
  getStringFromEnv,
  getStringListFromEnv,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { CountingSpanExporter, queueFullCounting, throttleDiagnostics } from './export-health.js';
import { markTracesExported } from './trace-exemplar.js';

export const DEFAULT_SERVICE_NAME = 'groups-bff';

// Typed by its shape, not by start-telemetry.ts's Telemetry: that file loads this one.
/** The SDK, configured by the standard OTEL_* variables (the batch processor's read as the SDK reads them). */
export function startExportingSdk(): { readonly exporting: boolean; flush(): Promise<void> } {
  // Traces only: metrics stay with Prometheus (/metrics) and logs on stdout, unless the
  // standard variables ask for them (the SDK would otherwise export both to localhost).
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  throttleDiagnostics();
  const exporter = countedOtlpExporter();
  const sdk = new NodeSDK({
    // Without ours (console, grpc), the SDK makes the processors from the variables itself.
    spanProcessors: exporter && [countedBatchProcessor(exporter)],
    // Detected attributes (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, host, process) are
    // merged over this, so the default name gives way to the operator's.
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: DEFAULT_SERVICE_NAME })),
    // The contract is W3C Trace Context: traceparent and tracestate, nothing else forwarded.
    textMapPropagator: new W3CTraceContextPropagator(),
  });
  sdk.start();
  markTracesExported();
  // The SDK set its own console logger if OTEL_LOG_LEVEL asked; otherwise ours stays.
  return {
    exporting: true,
    flush: async () => {
      const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate();
      await (provider as { forceFlush?: () => Promise<void> }).forceFlush?.();
    },
  };
}

/**
 * OTLP over HTTP as the standard variables choose it (protobuf or JSON; the exporter reads the
 * endpoint, headers and timeout itself), counting what it fails to deliver. Other choices
 * (OTEL_TRACES_EXPORTER=console, grpc) are left to the SDK as they are.
 */
function countedOtlpExporter(): CountingSpanExporter | undefined {
  const exporters = getStringListFromEnv('OTEL_TRACES_EXPORTER')?.filter((name) => name !== '') ?? [];
  if (exporters.length > 0 && !(exporters.length === 1 && exporters[0] === 'otlp')) return undefined;
  const protocol =
    (
      getStringFromEnv('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? getStringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL')
    )?.trim() || 'http/protobuf';
  if (protocol === 'http/json') return new CountingSpanExporter(new JsonTraceExporter());
  if (protocol === 'http/protobuf') return new CountingSpanExporter(new ProtobufTraceExporter());
  return undefined;
}

/**
 * The batch processor the SDK would make from OTEL_BSP_* (queue size, delay, batch size, export
 * timeout), reporting the spans its full queue refuses, so that they are counted as they happen.
 */
function countedBatchProcessor(exporter: SpanExporter): BatchSpanProcessor {
  return new BatchSpanProcessor({
    exporter,
    selfObsMeterProvider: queueFullCounting(),
    maxQueueSize: positive('OTEL_BSP_MAX_QUEUE_SIZE'),
    scheduledDelayMillis: positive('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: positive('OTEL_BSP_EXPORT_TIMEOUT'),
    maxExportBatchSize: positive('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  });
}

/** As the SDK reads them: zero, a negative or an unreadable value leaves the default. */
function positive(name: string): number | undefined {
  const value = getNumberFromEnv(name);
  return value !== undefined && value > 0 ? value : undefined;
}
