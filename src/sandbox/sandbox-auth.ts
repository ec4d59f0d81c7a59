import { SandboxApiError } from './sandbox-api-error.js';
import { isAbsent } from './sandbox-body-fields.js';
import type { JsonObject } from './sandbox-json-body.js';
import type { SandboxLoginStore } from './sandbox-login-store.js';

/**
 * The caller's userId from the body's credentials: a live `ssid` if one is sent (it wins),
 * else `userId` + `token`. No token 1020, no userId 1002, anything wrong 1014.
 */
export function authenticate(body: JsonObject, logins: SandboxLoginStore): string {
  if (!isAbsent(body.ssid)) {
    const userId = typeof body.ssid === 'string' ? logins.userOfSsid(body.ssid) : undefined;
    if (userId === undefined) throw new SandboxApiError(1014);
    return userId;
  }
  return checkUserToken(body, logins);
}

/** userId + token only (the login exchange). */
export function checkUserToken(body: JsonObject, logins: SandboxLoginStore): string {
  if (isAbsent(body.token)) throw new SandboxApiError(1020);
  if (isAbsent(body.userId)) throw new SandboxApiError(1002);
  // Account ids may travel as numbers; compare their text.
  const userId = typeof body.userId === 'number' ? String(body.userId) : body.userId;
  if (typeof userId !== 'string' || typeof body.token !== 'string') throw new SandboxApiError(1014);
  if (!logins.hasValidToken(userId, body.token)) throw new SandboxApiError(1014);
  return userId;
}
