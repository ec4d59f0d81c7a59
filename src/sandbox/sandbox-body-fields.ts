import { SandboxApiError } from './sandbox-api-error.js';
import type { JsonObject } from './sandbox-json-body.js';

/** True for a field the caller did not really send (absent, null or empty string). */
export function isAbsent(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}

/** A group id as number or numeric string: absent -> `missingCode`, not a positive integer -> 1001. */
export function parseGroupId(value: unknown, missingCode: number): number {
  if (isAbsent(value)) throw new SandboxApiError(missingCode);
  const id = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) throw new SandboxApiError(1001);
  return id;
}

/** The group name: missing, blank or not a string -> 1501. Stored trimmed. */
export function requireName(body: JsonObject): string {
  const name = body.name;
  if (typeof name !== 'string' || name.trim() === '') throw new SandboxApiError(1501);
  return name.trim();
}

/** Update's status: documented default 1 when omitted; 0 or 1 as number or numeric string, else 1001. */
export function parseStatus(value: unknown): 0 | 1 {
  if (value === undefined || value === null) return 1;
  if (value === 0 || value === '0') return 0;
  if (value === 1 || value === '1') return 1;
  throw new SandboxApiError(1001);
}

/** An optional boolean flag: absent/null -> false, a non-boolean -> 1001. */
export function optionalFlag(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new SandboxApiError(1001);
  return value;
}
