import { describe, expect, it } from '@jest/globals';
import { MemoryStateStore } from './memory-state.store.js';

describe('MemoryStateStore', () => {
  it('slides the TTL on read, honours an absolute expiry and removes', async () => {
    let now = 1_000;
    const store = new MemoryStateStore(() => now);
    await store.write('k', 'v', 100);
    now = 1_090;
    expect(await store.readAndSlide('k', 100)).toBe('v');
    now = 1_180; // 90 ms after the slide: still alive
    expect(await store.readAndSlide('k', 100)).toBe('v');
    await store.expireAt('k', 1_200);
    now = 1_200;
    expect(await store.readAndSlide('k', 100)).toBeNull();
    await store.write('k2', 'v2', 100);
    await store.remove('k2');
    expect(await store.readAndSlide('k2', 100)).toBeNull();
  });
});
