import { describe, expect, it } from '@jest/globals';
import { RecentDigests } from './recent-digests.js';

describe('RecentDigests', () => {
  it('computes a digest once per input while it is remembered', () => {
    const computed: string[] = [];
    const digests = new RecentDigests((input) => {
      computed.push(input);
      return `#${input}`;
    });
    expect([digests.of('a'), digests.of('b'), digests.of('a')]).toEqual(['#a', '#b', '#a']);
    expect(computed).toEqual(['a', 'b']);
  });

  it('forgets the oldest input first once full, and computes it again when it returns', () => {
    const computed: string[] = [];
    const digests = new RecentDigests((input) => {
      computed.push(input);
      return input.toUpperCase();
    }, 2);
    for (const input of ['a', 'b', 'c', 'b', 'a']) digests.of(input);
    expect(computed).toEqual(['a', 'b', 'c', 'a']);
  });
});
