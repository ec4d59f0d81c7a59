import { createHash } from 'node:crypto';
import type { GroupDto } from './dto/group.dto.js';
import type { GroupPage } from './group-page.js';
import { ProblemError } from '../core/problem/problem.error.js';

/**
 * The strong entity tag of one group (RFC 9110 §8.8.3): a digest of what a write could change
 * and a reader cares about, its id, name and status. `createdAt` never changes, so it is left out.
 */
export function etagOf(group: Pick<GroupDto, 'id' | 'name' | 'status'>): string {
  const digest = createHash('sha256').update(`${group.id}\0${group.name}\0${group.status}`).digest('base64url');
  return `"${digest.slice(0, 27)}"`;
}

/**
 * The weak entity tag of one list page (§8.8.1): a digest of everything the page answers, so it
 * changes whenever the body would. Weak: it vouches for the content, not the bytes.
 */
export function pageEtagOf(page: GroupPage): string {
  const hash = createHash('sha256');
  for (const group of page.data) hash.update(`${group.id}\0${group.name}\0${group.status}\0${group.createdAt}\n`);
  return `W/"${hash.update(`${page.next}`).digest('base64url').slice(0, 27)}"`;
}

/** The entity tags of an If-Match / If-None-Match field value (`*` kept as it is). */
function tagsOf(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}

/** If-None-Match (weak comparison, §13.1.2): true when the client's copy is current, so a 304 will do. */
export function noneMatchSatisfied(header: string | undefined, current: string): boolean {
  if (header === undefined) return false;
  const opaque = withoutWeakness(current);
  return tagsOf(header).some((tag) => tag === '*' || withoutWeakness(tag) === opaque);
}

const withoutWeakness = (tag: string): string => tag.replace(/^W\//, '');

/** If-Match (strong comparison, §13.1.1): a 412 unless the group is still the one the client read. */
export function requireMatch(header: string | undefined, current: string): void {
  if (header === undefined) return;
  const tags = tagsOf(header);
  if (tags.includes('*') || tags.includes(current)) return;
  throw new ProblemError('preconditionFailed');
}
