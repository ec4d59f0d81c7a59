import { describe, expect, it } from '@jest/globals';
import { GroupStatus } from './dto/group-status.js';
import { etagOf, noneMatchSatisfied, requireMatch } from './etag.js';

const group = { id: 28, name: 'Sales', status: GroupStatus.Active };

describe('group ETags', () => {
  it('are strong, quoted and change with each of id, name and status', () => {
    const tag = etagOf(group);
    expect(tag).toMatch(/^"[\w-]{27}"$/);
    expect(etagOf({ ...group })).toBe(tag);
    for (const changed of [
      { ...group, id: 29 },
      { ...group, name: 'Sales 1' },
      { ...group, status: GroupStatus.Inactive },
    ])
      expect(etagOf(changed)).not.toBe(tag);
  });

  it('If-None-Match matches the current tag, a list holding it, its weak form and *', () => {
    const tag = etagOf(group);
    for (const header of [tag, `"other", ${tag}`, `W/${tag}`, '*']) expect(noneMatchSatisfied(header, tag)).toBe(true);
    for (const header of [undefined, '"other"', '']) expect(noneMatchSatisfied(header, tag)).toBe(false);
  });

  it('If-Match passes the current tag or *, and refuses a stale or weak one with a 412', () => {
    const tag = etagOf(group);
    for (const header of [undefined, tag, `"other", ${tag}`, '*'])
      expect(() => requireMatch(header, tag)).not.toThrow();
    for (const header of ['"other"', `W/${tag}`])
      expect(() => requireMatch(header, tag)).toThrow(
        expect.objectContaining({ status: 412, kind: 'preconditionFailed' }),
      );
  });
});
