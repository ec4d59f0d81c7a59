/** V8 heap flags that, given by the operator (command line or NODE_OPTIONS), leave heap sizing to them. */
const HEAP_FLAGS = [
  '--max-old-space-size',
  '--max-semi-space-size',
  '--max-heap-size',
  '--heap-growing-percent',
  '--optimize-for-size',
] as const;

const MIB = 1024 * 1024;
/** cgroup v1 reports "no limit" as a page-rounded 2^63; anything this big is no limit. */
const UNLIMITED = 2 ** 60;

/**
 * The container's memory limit in bytes, from cgroup v2 (`memory.max`) or else v1
 * (`memory.limit_in_bytes`); undefined when there is none or it cannot be read.
 */
export function memoryLimit(read: (path: string) => string | undefined): number | undefined {
  for (const path of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    const text = read(path)?.trim();
    if (text === undefined || text === '') continue;
    if (text === 'max') return undefined;
    const bytes = Number(text);
    return Number.isSafeInteger(bytes) && bytes > 0 && bytes < UNLIMITED ? bytes : undefined;
  }
  return undefined;
}

/**
 * The heap flags the service starts with. Always: a young generation of at most 16 MiB per
 * semi-space (V8 sizes it from the host's memory, up to 64 MiB: RSS for little gain, as request
 * garbage dies young; 8 MiB saves ~20 MB more but costs 5x the collection time), and an old
 * generation that grows by half its live size between collections instead of up to four times.
 * Neither caps the heap. With a memory limit, the old generation's maximum is also set to 60 %
 * of it (and the young generation shrinks below 1 GiB): V8 then collects harder before the
 * kernel's OOM killer would act, and the rest is left for code, buffers and the runtime.
 */
export function heapFlags(limitBytes: number | undefined): string[] {
  if (limitBytes === undefined) return ['--max-semi-space-size=16', '--heap-growing-percent=50'];
  const limitMib = Math.floor(limitBytes / MIB);
  const semiMib = Math.max(1, Math.min(16, Math.floor(limitMib / 64)));
  const oldMib = Math.max(32, Math.floor(limitMib * 0.6) - 3 * semiMib);
  return [`--max-semi-space-size=${semiMib}`, '--heap-growing-percent=50', `--max-old-space-size=${oldMib}`];
}

/** True when the operator already chose heap flags, on the command line or in NODE_OPTIONS. */
export function heapChosen(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  // V8 reads --max_old_space_size and --max-old-space-size alike.
  return given.some((arg) =>
    (HEAP_FLAGS as readonly string[]).includes(`--${arg.replace(/^--/, '').split('=')[0].replace(/_/g, '-')}`),
  );
}
