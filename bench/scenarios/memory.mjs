// Scenario 5: resident memory of the long-lived B and F, from /proc/<pid>/status (VmRSS now,
// VmHWM = the peak so far). Sampled when idle after start-up and again after all the load.
import { memoryMb } from '../processes.mjs';

export function sampleMemory(stack) {
  return Object.fromEntries(Object.entries(stack.servers).map(([name, server]) => [name, memoryMb(server.pid)]));
}
