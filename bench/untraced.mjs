// Preloaded (node --import) into the "untraced" B of `npm run bench -- tracing` only: takes
// OpenTelemetry's global registration slot with a version no API accepts, so the service's
// startTelemetry registers nothing and every tracing call is the API's no-op. The same build,
// with its tracing code made inert: what the propagation-only B is compared with.
globalThis[Symbol.for('opentelemetry.js.api.1')] = { version: '0.0.0-untraced' };
