import { describe, expect, it } from '@jest/globals';
import { heapChosen, heapFlags, memoryLimit } from './heap-flags.js';

const MIB = 1024 * 1024;
const files = (contents: Record<string, string>) => (path: string) => contents[path];

describe('memoryLimit', () => {
  it('reads cgroup v2 memory.max', () => {
    expect(memoryLimit(files({ '/sys/fs/cgroup/memory.max': '536870912\n' }))).toBe(512 * MIB);
  });

  it('is undefined for v2 "max" (no limit)', () => {
    expect(
      memoryLimit(
        files({ '/sys/fs/cgroup/memory.max': 'max\n', '/sys/fs/cgroup/memory/memory.limit_in_bytes': '268435456' }),
      ),
    ).toBeUndefined();
  });

  it('falls back to cgroup v1, where no limit is a huge number', () => {
    expect(memoryLimit(files({ '/sys/fs/cgroup/memory/memory.limit_in_bytes': '268435456\n' }))).toBe(256 * MIB);
    expect(
      memoryLimit(files({ '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712\n' })),
    ).toBeUndefined();
  });

  it('is undefined when neither file is there or makes sense', () => {
    expect(memoryLimit(files({}))).toBeUndefined();
    expect(memoryLimit(files({ '/sys/fs/cgroup/memory.max': 'lots' }))).toBeUndefined();
  });
});

describe('heapFlags', () => {
  it('without a limit: a small young generation and slower old-generation growth, no maximum', () => {
    expect(heapFlags(undefined)).toEqual(['--max-semi-space-size=16', '--heap-growing-percent=50']);
  });

  it('with a limit: the old generation at 60 % of it, less the young generation', () => {
    expect(heapFlags(2048 * MIB)).toEqual([
      '--max-semi-space-size=16',
      '--heap-growing-percent=50',
      '--max-old-space-size=1180',
    ]);
    expect(heapFlags(512 * MIB)).toEqual([
      '--max-semi-space-size=8',
      '--heap-growing-percent=50',
      '--max-old-space-size=283',
    ]);
    expect(heapFlags(256 * MIB)).toEqual([
      '--max-semi-space-size=4',
      '--heap-growing-percent=50',
      '--max-old-space-size=141',
    ]);
  });

  it('never goes below a workable heap for tiny limits', () => {
    expect(heapFlags(64 * MIB)).toEqual([
      '--max-semi-space-size=1',
      '--heap-growing-percent=50',
      '--max-old-space-size=35',
    ]);
    expect(heapFlags(16 * MIB)).toContain('--max-old-space-size=32');
  });
});

describe('heapChosen', () => {
  it('leaves sizing to the operator who set any heap flag, either spelling, either place', () => {
    expect(heapChosen(['--max-old-space-size=300'], undefined)).toBe(true);
    expect(heapChosen([], '--enable-source-maps --max_semi_space_size=4')).toBe(true);
    expect(heapChosen(['--cpu-prof'], '--enable-source-maps')).toBe(false);
    expect(heapChosen([], undefined)).toBe(false);
  });
});
