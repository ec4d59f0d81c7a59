import { trace } from '@opentelemetry/api';

/** The service's tracer: a proxy until startTelemetry registers the provider, then that provider's. */
export const tracer = trace.getTracer('groups-bff');
