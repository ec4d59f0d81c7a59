// The sandbox's wire, imported by every other sandbox module and importing none of them: the
// operations it answers, reading request bodies, writing answers and DeepCall's envelopes, the
// error codes, and the error a caller of its control surface gets for unusable input.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The upstream operations the sandbox answers; 'login' is the assumed ssid exchange. */
export type SandboxOp = 'add' | 'update' | 'delete' | 'list' | 'login';

export const SANDBOX_OPS: readonly SandboxOp[] = ['add', 'update', 'delete', 'list', 'login'];

const MAX_BODY_BYTES = 1024 * 1024;

type ReadBody = { text: string; tooLarge: false } | { tooLarge: true };

/**
 * Reads the whole request body. Past `limit` bytes the rest is drained and dropped, so the client
 * still gets an answer. Resolves undefined if the client goes away first.
 */
export function readRequestBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<ReadBody | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(size > limit ? { tooLarge: true } : { text: Buffer.concat(chunks).toString('utf8'), tooLarge: false });
    });
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(undefined)); // no-op if 'end' already resolved
  });
}

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

/** Writes a whole response with Content-Length, so keep-alive clients can reuse the connection. */
export function sendBody(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  json: string | Buffer,
  headers?: Record<string, string>,
): void {
  sendBody(res, status, 'application/json; charset=utf-8', json, headers);
}

/** The upstream's error envelope. */
export function errorEnvelope(code: number, message = messageForCode(code)): string {
  return JSON.stringify({ status: 'error', message, code });
}

/** The upstream's success envelope around op-specific fields. */
export function successEnvelope(fields: Record<string, unknown>): string {
  return JSON.stringify({ status: 'success', ...fields, code: 200 });
}

/** Messages for the error codes DeepCall documents (exact upstream wording is not published). */
const MESSAGES: Readonly<Record<number, string>> = {
  1000: 'Invalid parameters',
  1001: 'Invalid data type',
  1002: 'userId not provided',
  1009: 'Something went wrong',
  1010: 'Database connection error',
  1012: 'No data found',
  1014: 'Invalid token',
  1015: 'Permission denied',
  1020: 'Token not provided',
  1032: 'Internal server error',
  1039: 'Account suspended',
  1047: 'Invalid request data',
  1501: 'Group name is required',
  1502: 'Group id is required',
  1503: 'Group not found',
};

export function messageForCode(code: number): string {
  return MESSAGES[code] ?? 'Request failed';
}

/** An application error answered with the upstream's error envelope. */
export class SandboxApiError extends Error {
  override readonly name = 'SandboxApiError';

  constructor(readonly code: number) {
    super(messageForCode(code));
  }
}

/** A caller of the sandbox's control surface passed something unusable (answered 400 over HTTP). */
export class SandboxInputError extends Error {
  override readonly name = 'SandboxInputError';
}

export function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
