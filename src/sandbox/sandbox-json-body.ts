import { SandboxApiError } from './sandbox-api-error.js';

export type JsonObject = Record<string, unknown>;

/** Upstream reads the body as JSON whatever the Content-Type; empty, non-JSON or non-object is 1047. */
export function parseJsonObject(text: string): JsonObject {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new SandboxApiError(1047);
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new SandboxApiError(1047);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SandboxApiError(1047);
  return parsed as JsonObject;
}
