// The entry point (`node dist/main.js`). First the heap: size-heap.js may restart the process with
// heap flags, so nothing else is loaded before it — the application's modules (a second or so of
// loading) come in only afterwards, by a dynamic import. Then telemetry, before the application,
// so the tracer provider is registered before any module that makes spans is loaded.
import './runtime/size-heap.js';

const { startTelemetry } = await import('./telemetry/start-telemetry.js');
await startTelemetry();
await import('./server.js');
