// Loaded only when export is asked for: the Node SDK and its exporters stay out of the process otherwise.
import { type ProxyTracerProvider, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Telemetry } from './start-telemetry.js';

export const DEFAULT_SERVICE_NAME = 'groups-bff';

/** The SDK, configured by the standard OTEL_* variables it reads itself. */
export function startExportingSdk(): Telemetry {
  // Traces only: metrics stay with Prometheus (/metrics) and logs on stdout, unless the
  // standard variables ask for them (the SDK would otherwise export both to localhost).
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  const sdk = new NodeSDK({
    // Detected attributes (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, host, process) are
    // merged over this, so the default name gives way to the operator's.
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: DEFAULT_SERVICE_NAME })),
    // The contract is W3C Trace Context: traceparent and tracestate, nothing else forwarded.
    textMapPropagator: new W3CTraceContextPropagator(),
  });
  sdk.start();
  return {
    exporting: true,
    flush: async () => {
      const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate();
      await (provider as { forceFlush?: () => Promise<void> }).forceFlush?.();
    },
  };
}
