import { createHash } from 'node:crypto';
import type { GroupDto } from './dto/group.dto.js';
import { ProblemError } from '../core/problem/problem.error.js';

/**
 * The strong entity tag of one group (RFC 9110 §8.8.3): a digest of what a write could change
 * and a reader cares about, its id, name and status. `createdAt` never changes, so it is left out.
 */
export function etagOf(group: Pick<GroupDto, 'id' | 'name' | 'status'>): string {
  const digest = createHash('sha256').update(`${group.id}\0${group.name}\0${group.status}`).digest('base64url');
  return `"${digest.slice(0, 27)}"`;
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
  return tagsOf(header).some((tag) => tag === '*' || tag.replace(/^W\//, '') === current);
}

/** If-Match (strong comparison, §13.1.1): a 412 unless the group is still the one the client read. */
export function requireMatch(header: string | undefined, current: string): void {
  if (header === undefined) return;
  const tags = tagsOf(header);
  if (tags.includes('*') || tags.includes(current)) return;
  throw new ProblemError('preconditionFailed');
}
