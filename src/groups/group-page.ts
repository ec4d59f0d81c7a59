import { createHash } from 'node:crypto';
import { GroupDto } from './dto/group.dto.js';
import type { ListFilter } from '../deepcall/deepcall-groups.api.js';
import { ProblemError } from '../core/problem/problem.error.js';

/** The filters a cursor is bound to: a cursor only continues the list it came from. */
export type ListFilters = Omit<ListFilter, 'groupId'>;

export interface GroupPage {
  data: GroupDto[];
  next: string | null;
}

export const CURSOR_PATTERN = '^[A-Za-z0-9_-]{1,128}$';
const CURSOR = new RegExp(CURSOR_PATTERN);
const CURSOR_CONTENT = /^v1:([1-9]\d{0,15}):([A-Za-z0-9_-]{16})$/;

/** A short digest of the filters, as the service reads them (the name filter ignores case; booleans default to false). */
function filtersDigest({ name, quick, forward }: ListFilters): string {
  return createHash('sha256')
    .update(JSON.stringify([name?.toLowerCase() ?? null, quick ?? false, forward ?? false]))
    .digest('base64url')
    .slice(0, 16);
}

/** The opaque cursor after the group `lastId` of the list with these filters. */
function encodeCursor(lastId: number, filters: ListFilters): string {
  return Buffer.from(`v1:${lastId}:${filtersDigest(filters)}`).toString('base64url');
}

/** The id a cursor continues after; a 400 when it is malformed or belongs to other filters. Checked before upstream is asked. */
export function readCursor(cursor: string, filters: ListFilters): number {
  const decoded = CURSOR.test(cursor) ? Buffer.from(cursor, 'base64url') : undefined;
  // Base64 decoding is lenient (stray trailing characters are dropped): only the exact encoding counts.
  const content =
    decoded && decoded.toString('base64url') === cursor ? CURSOR_CONTENT.exec(decoded.toString('latin1')) : null;
  if (!content) throw invalidCursor('The cursor is not one this service issued.');
  if (content[2] !== filtersDigest(filters))
    throw invalidCursor(
      'The cursor belongs to a list with other filters: send the same name, quick and forward as for the first page.',
    );
  return Number(content[1]);
}

/**
 * One page of a list ordered by id: the groups after `afterId`, at most `limit` of them (all
 * without a limit). Keyset paging: a group created or deleted between pages moves nothing.
 */
export function pageOf(
  groups: GroupDto[],
  filters: ListFilters,
  { limit, afterId }: { limit?: number; afterId?: number },
): GroupPage {
  const start = afterId === undefined ? 0 : firstAfter(groups, afterId);
  if (limit === undefined) return { data: start === 0 ? groups : groups.slice(start), next: null };
  const data = groups.slice(start, start + limit);
  const more = start + limit < groups.length;
  return { data, next: more ? encodeCursor(data[data.length - 1].id, filters) : null };
}

/** Index of the first group with an id above `afterId` (groups are sorted by id). */
function firstAfter(groups: GroupDto[], afterId: number): number {
  let low = 0;
  let high = groups.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (groups[middle].id <= afterId) low = middle + 1;
    else high = middle;
  }
  return low;
}

function invalidCursor(detail: string): ProblemError {
  return new ProblemError('validation', detail, {
    errors: [
      { field: 'cursor', message: 'cursor must be the next value of a page of this list, with the same filters' },
    ],
  });
}
