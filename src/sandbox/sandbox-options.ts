import { SandboxInputError } from './sandbox-input-error.js';

export type SandboxIdField = 'id' | 'groupId' | 'group_id' | 'groupid';
export type SandboxEmptyListAs = 'error-1012' | 'empty';
export type SandboxListShape = 'array' | 'object-by-id';

export interface SandboxOptions {
  port?: number;
  host?: string;
  ssidTtlMs?: number;
  errorHttpStatus?: number;
  emptyListAs?: SandboxEmptyListAs;
  listShape?: SandboxListShape;
  idField?: SandboxIdField;
  idsAsStrings?: boolean;
}

/** The options that can change while the sandbox runs (SandboxControl.configure). */
export type SandboxRuntimeOptions = Partial<
  Pick<SandboxOptions, 'ssidTtlMs' | 'errorHttpStatus' | 'emptyListAs' | 'listShape' | 'idField' | 'idsAsStrings'>
>;

export type SandboxSettings = Required<SandboxRuntimeOptions>;

export const DEFAULT_SANDBOX_SETTINGS: Readonly<SandboxSettings> = Object.freeze({
  ssidTtlMs: 3_600_000,
  errorHttpStatus: 200,
  emptyListAs: 'error-1012',
  listShape: 'array',
  idField: 'id',
  idsAsStrings: false,
});

const ID_FIELDS: readonly string[] = ['id', 'groupId', 'group_id', 'groupid'];
const EMPTY_LIST_AS: readonly string[] = ['error-1012', 'empty'];
const LIST_SHAPES: readonly string[] = ['array', 'object-by-id'];

/** Returns `base` with the given runtime options applied; throws SandboxInputError naming a bad one. */
export function applyRuntimeOptions(base: SandboxSettings, patch: unknown): SandboxSettings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new SandboxInputError('options must be an object');
  }
  const given = patch as Record<string, unknown>;
  const next = { ...base };
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    switch (key) {
      case 'ssidTtlMs':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw bad(key, 'a number >= 0');
        next.ssidTtlMs = value;
        break;
      case 'errorHttpStatus':
        if (!isIntegerIn(value, 200, 599)) throw bad(key, 'an HTTP status 200..599');
        next.errorHttpStatus = value;
        break;
      case 'emptyListAs':
        if (!EMPTY_LIST_AS.includes(value as string)) throw bad(key, EMPTY_LIST_AS.join(' | '));
        next.emptyListAs = value as SandboxEmptyListAs;
        break;
      case 'listShape':
        if (!LIST_SHAPES.includes(value as string)) throw bad(key, LIST_SHAPES.join(' | '));
        next.listShape = value as SandboxListShape;
        break;
      case 'idField':
        if (!ID_FIELDS.includes(value as string)) throw bad(key, ID_FIELDS.join(' | '));
        next.idField = value as SandboxIdField;
        break;
      case 'idsAsStrings':
        if (typeof value !== 'boolean') throw bad(key, 'a boolean');
        next.idsAsStrings = value;
        break;
      default:
        throw new SandboxInputError(`unknown option "${key}"`);
    }
  }
  return next;
}

export function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function bad(key: string, expected: string): SandboxInputError {
  return new SandboxInputError(`option "${key}" must be ${expected}`);
}
