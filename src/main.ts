// The entry point (`node dist/main.js`). First the heap: size-heap.js may restart the process with
// heap flags, so nothing else is loaded before it — the application's modules (a second or so of
// loading) come in only afterwards, by a dynamic import.
import './runtime/size-heap.js';

await import('./server.js');
