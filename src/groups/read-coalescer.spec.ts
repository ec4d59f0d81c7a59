import { describe, expect, it } from '@jest/globals';
import { ReadCoalescer } from './read-coalescer.js';

/** A read we settle by hand, counting how often it was started. */
function heldRead<T>() {
  let release!: (value: T) => void;
  let fail!: (error: Error) => void;
  let started = 0;
  const read = () => {
    started += 1;
    return new Promise<T>((resolve, reject) => {
      release = resolve;
      fail = reject;
    });
  };
  return { read, release: (value: T) => release(value), fail: (error: Error) => fail(error), started: () => started };
}

const far = performance.now() + 60_000;

describe('ReadCoalescer', () => {
  it('starts an identical read of one user once while it is in flight, and keeps nothing after', async () => {
    const reads = new ReadCoalescer();
    const held = heldRead<string[]>();
    const answers = Promise.all([1, 2, 3].map(() => reads.share('u1', 'list:[]', held.read, far)));
    await Promise.resolve();
    expect(held.started()).toBe(1);
    held.release(['a']);
    expect(await answers).toEqual([['a'], ['a'], ['a']]);
    expect(reads.size()).toBe(0);
    const again = heldRead<string[]>();
    const next = reads.share('u1', 'list:[]', again.read, far);
    await Promise.resolve();
    expect(again.started()).toBe(1);
    again.release(['b']);
    expect(await next).toEqual(['b']);
  });

  it('keeps users and queries apart', async () => {
    const reads = new ReadCoalescer();
    const [mine, theirs, other] = [heldRead<string>(), heldRead<string>(), heldRead<string>()];
    const all = Promise.all([
      reads.share('u1', 'q', mine.read, far),
      reads.share('u2', 'q', theirs.read, far),
      reads.share('u1', 'other', other.read, far),
    ]);
    await Promise.resolve();
    expect([mine.started(), theirs.started(), other.started()]).toEqual([1, 1, 1]);
    expect(reads.size()).toBe(3);
    mine.release('mine');
    theirs.release('theirs');
    other.release('other');
    expect(await all).toEqual(['mine', 'theirs', 'other']);
  });

  it('shares a failure with those who joined, then forgets it', async () => {
    const reads = new ReadCoalescer();
    const held = heldRead<number>();
    const both = Promise.allSettled([reads.share('u1', 'q', held.read, far), reads.share('u1', 'q', held.read, far)]);
    await Promise.resolve();
    held.fail(new Error('upstream down'));
    expect((await both).map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(reads.size()).toBe(0);
  });

  it('detaches the user’s reads in flight when their write ends, even a failed one', async () => {
    const reads = new ReadCoalescer();
    const before = heldRead<string>();
    const earlier = reads.share('u1', 'q', before.read, far);
    await expect(reads.write('u1', () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    const after = heldRead<string>();
    const later = reads.share('u1', 'q', after.read, far);
    await Promise.resolve();
    expect(after.started()).toBe(1);
    before.release('old');
    after.release('new');
    expect(await earlier).toBe('old');
    expect(await later).toBe('new');
    expect(reads.size()).toBe(0);
  });

  it('lets a caller who joined wait no longer than its own deadline; the call goes on for the first', async () => {
    const reads = new ReadCoalescer();
    const held = heldRead<string>();
    const first = reads.share('u1', 'q', held.read, far);
    const hurried = reads.share('u1', 'q', held.read, performance.now() + 20);
    await expect(hurried).rejects.toMatchObject({ kind: 'gatewayTimeout', status: 504 });
    held.release('answer');
    expect(await first).toBe('answer');
    expect(held.started()).toBe(1);
  });

  it("reads again for a caller with time left when the call it joined ran out of its first caller's time", async () => {
    const reads = new ReadCoalescer();
    const held = heldRead<string>();
    // Its caller's deadline is already here: its failure is that caller's time running out.
    const first = reads.share('u1', 'q', held.read, performance.now());
    const patient = reads.share('u1', 'q', held.read, far);
    await Promise.resolve();
    held.fail(new Error('timed out'));
    await expect(first).rejects.toThrow('timed out');
    await new Promise((resolve) => setImmediate(resolve));
    expect(held.started()).toBe(2);
    held.release('its own answer');
    expect(await patient).toBe('its own answer');
  });

  it('does not read again when the call failed with time left: the failure is shared', async () => {
    const reads = new ReadCoalescer();
    const held = heldRead<string>();
    const first = reads.share('u1', 'q', held.read, far - 1000);
    const second = reads.share('u1', 'q', held.read, far);
    await Promise.resolve();
    held.fail(new Error('DeepCall said no'));
    await expect(first).rejects.toThrow('DeepCall said no');
    await expect(second).rejects.toThrow('DeepCall said no');
    expect(held.started()).toBe(1);
  });
});
