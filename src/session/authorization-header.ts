import { ProblemError } from '../core/problem/problem.error.js';

export type PresentedCredentials =
  { scheme: 'bearer'; sessionId: string } | { scheme: 'basic'; userId: string; token: string };

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CONTROL_CHARACTERS = /\p{Cc}/u;

/** Reads `Authorization: Bearer <sessionId>` or `Basic base64(userId:token)`; anything else is a 401. */
export function parseAuthorization(header: string | string[] | undefined): PresentedCredentials {
  if (header === undefined) throw unauthorized('Send Authorization: Bearer <sessionId> or Basic base64(userId:token).');
  if (Array.isArray(header)) throw unauthorized('Send exactly one Authorization header.');
  const match = /^(\S+) +(\S+) *$/.exec(header);
  const scheme = match?.[1].toLowerCase();
  if (scheme === 'bearer' && SESSION_ID.test(match![2])) return { scheme, sessionId: match![2] };
  if (scheme === 'basic') return parseBasic(match![2]);
  throw unauthorized('The Authorization header is malformed.');
}

function parseBasic(encoded: string): PresentedCredentials {
  const decoded = BASE64.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const separator = decoded.indexOf(':');
  const userId = decoded.slice(0, separator);
  const token = decoded.slice(separator + 1);
  const valid =
    separator > 0 &&
    token.length > 0 &&
    userId.length <= 128 &&
    token.length <= 512 &&
    !CONTROL_CHARACTERS.test(decoded) &&
    !decoded.includes('\uFFFD');
  if (!valid) throw unauthorized('Basic credentials must be base64(userId:token) in UTF-8.');
  return { scheme: 'basic', userId, token };
}

export function unauthorized(detail?: string): ProblemError {
  return new ProblemError('unauthorized', detail);
}
