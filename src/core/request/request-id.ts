import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The gateway's X-Request-Id when it is sane, else a fresh UUID (Fastify's genReqId). */
export function requestIdFor(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}
