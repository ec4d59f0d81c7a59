import { DeepcallGroup } from './deepcall.types.js';

const ID_FIELDS = ['id', 'groupId', 'group_id', 'groupid'] as const;
const DATE_FIELDS = ['create_date', 'created_at', 'createdAt', 'createDate'] as const;

/** Thrown when the list answer is not any shape docs/deepcall-upstream.md allows. */
export class MalformedGroupsError extends Error {}

/**
 * Reads list's `response`, which docs/deepcall-upstream.md leaves open: an array of records or an
 * object keyed by id; the id under any of four names, as number or string; status and date
 * possibly missing. Empty or absent means no groups. Records without an id or name are
 * malformed: guessing would show the caller a group that does not exist.
 */
export function parseGroupRecords(response: unknown): DeepcallGroup[] {
  if (response === undefined || response === null || response === '') return [];
  if (Array.isArray(response)) return response.map((record) => parseRecord(record, undefined));
  if (typeof response === 'object') {
    return Object.entries(response as Record<string, unknown>).map(([key, record]) => parseRecord(record, key));
  }
  throw new MalformedGroupsError('list response is neither an array nor an object');
}

function parseRecord(record: unknown, key: string | undefined): DeepcallGroup {
  if (record === null || typeof record !== 'object') throw new MalformedGroupsError('group record is not an object');
  const fields = record as Record<string, unknown>;
  const id = toId(first(fields, ID_FIELDS, (value) => value !== undefined) ?? key);
  const name = fields.name;
  if (id === undefined || typeof name !== 'string') throw new MalformedGroupsError('group record without id or name');
  return { id, name, active: toActive(fields.status), createdAt: toIsoDate(first(fields, DATE_FIELDS, Boolean)) };
}

/** The first of the named fields whose value passes `accept` (a loop: this runs for every group). */
function first(
  fields: Record<string, unknown>,
  names: readonly string[],
  accept: (value: unknown) => boolean,
): unknown {
  for (const name of names) if (accept(fields[name])) return fields[name];
  return undefined;
}

function toId(value: unknown): number | undefined {
  const id = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

function toActive(value: unknown): boolean | undefined {
  if (value === 1 || value === '1' || value === true || value === 'active') return true;
  if (value === 0 || value === '0' || value === false || value === 'inactive') return false;
  return undefined;
}

/**
 * Upstream dates look like "2024-10-10 12:42:13" with no zone; they are read as UTC
 * (an assumption: the upstream documentation shows no zone anywhere).
 */
export function toIsoDate(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return new Date(value < 1e11 ? value * 1000 : value).toISOString();
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (NAIVE_DATE.test(text)) return naiveUtc(text);
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

// The common upstream format, read without Date and without capture groups (it is on the hot
// path: every group): "YYYY-MM-DD hh:mm" with optional ":ss", the digits at fixed offsets.
const NAIVE_DATE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The decimal number in `text` at `i`, `digits` long (a plain function: no closure per date). */
function digitsAt(text: string, i: number, digits: number): number {
  let value = 0;
  for (let end = i + digits; i < end; i += 1) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

function naiveUtc(text: string): string | null {
  const y = digitsAt(text, 0, 4);
  const m = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const withSeconds = text.length > 16;
  const leapDay = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 1 : 0;
  const valid =
    y >= 1 &&
    m >= 1 &&
    m <= 12 &&
    day >= 1 &&
    day <= DAYS_IN_MONTH[m - 1] + leapDay &&
    digitsAt(text, 11, 2) <= 23 &&
    digitsAt(text, 14, 2) <= 59 &&
    (!withSeconds || digitsAt(text, 17, 2) <= 59);
  if (!valid) return null;
  return `${text.slice(0, 10)}T${text.slice(11)}${withSeconds ? '' : ':00'}.000Z`;
}
