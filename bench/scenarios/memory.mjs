// Scenario 5: resident memory of the long-lived B and F, from /proc/<pid>/status (VmRSS now,
// VmHWM = the peak so far, and RSS split into anonymous and file-backed pages). Sampled when idle
// after start-up and again after all the load. For B, what its V8 heap holds then, from its own
// /metrics (prom-client's default metrics): so the RSS row says which part of it is the heap.
import { memoryMb } from '../processes.mjs';
import { call } from '../http.mjs';

export async function sampleMemory(stack) {
  const sampled = Object.fromEntries(
    Object.entries(stack.servers).map(([name, server]) => [name, memoryMb(server.pid)]),
  );
  if (stack.servers.B) sampled.B.heap = await heapOf(stack.servers.B.url);
  return sampled;
}

const MB = 1024 * 1024;

/** V8's heap as B reports it: total and used, the young generation's size and external memory, in MB. */
async function heapOf(url) {
  const { status, body } = await call(`${url}/metrics`);
  if (status !== 200 || typeof body !== 'string') return undefined;
  const value = (pattern) => Number(new RegExp(`^${pattern} (\\S+)$`, 'm').exec(body)?.[1] ?? NaN) / MB;
  return {
    totalMb: value('nodejs_heap_size_total_bytes'),
    usedMb: value('nodejs_heap_size_used_bytes'),
    newSpaceMb: value('nodejs_heap_space_size_total_bytes\\{space="new"\\}'),
    oldSpaceUsedMb: value('nodejs_heap_space_size_used_bytes\\{space="old"\\}'),
    externalMb: value('nodejs_external_memory_bytes'),
  };
}
