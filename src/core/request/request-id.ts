import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const REQUEST_ID = Symbol('requestId');

type IdentifiedMessage = IncomingMessage & { [REQUEST_ID]?: string };

/** The gateway's X-Request-Id when it is sane, else a fresh UUID; kept on the raw request. */
export function requestIdFor(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  const id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  (raw as IdentifiedMessage)[REQUEST_ID] = id;
  return id;
}

/** The id given to a request, for answers made outside Fastify's request cycle (a 408). */
export function givenRequestId(raw: IncomingMessage): string | undefined {
  return (raw as IdentifiedMessage)[REQUEST_ID];
}
