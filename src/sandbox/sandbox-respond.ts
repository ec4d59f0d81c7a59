import type { ServerResponse } from 'node:http';

import { messageForCode } from './sandbox-api-error.js';

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

export function sendJson(res: ServerResponse, status: number, json: string | Buffer, headers?: Record<string, string>): void {
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
