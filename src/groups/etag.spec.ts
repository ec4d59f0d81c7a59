import { describe, expect, it } from '@jest/globals';
import { GroupStatus } from './dto/group-status.js';
import { etagOf, noneMatchSatisfied, pageEtagOf, requireMatch } from './etag.js';

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

describe('list page ETags', () => {
  const page = { data: [{ ...group, createdAt: '2026-01-02 03:04:05' }], next: null };

  it('are weak, quoted and change with anything the page answers', () => {
    const tag = pageEtagOf(page);
    expect(tag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(pageEtagOf({ data: [...page.data], next: null })).toBe(tag);
    for (const changed of [
      { ...page, next: 'djE6Mjg' },
      { ...page, data: [] },
      { ...page, data: [{ ...page.data[0], createdAt: null }] },
      { ...page, data: [{ ...page.data[0], name: 'Sales 1' }] },
      { ...page, data: [...page.data, { ...page.data[0], id: 29 }] },
    ])
      expect(pageEtagOf(changed)).not.toBe(tag);
  });

  it('If-None-Match matches a page tag in its weak or strong form', () => {
    const tag = pageEtagOf(page);
    for (const header of [tag, tag.slice(2), `"x", ${tag}`]) expect(noneMatchSatisfied(header, tag)).toBe(true);
    expect(noneMatchSatisfied('W/"other"', tag)).toBe(false);
  });
});
