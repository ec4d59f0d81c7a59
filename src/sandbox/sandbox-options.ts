// The sandbox's options: given at start, and (some) changed while it runs.

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
