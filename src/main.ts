// The entry point (`npm start`, the image's CMD). Telemetry starts before the application is
// loaded (a dynamic import), so the tracer provider is registered before any module makes spans.
import { startTelemetry } from './telemetry/start-telemetry.js';

await startTelemetry();
await import('./server.js');
