import { checkUserToken } from './sandbox-auth.js';
import type { JsonObject } from './sandbox-json-body.js';
import { successEnvelope } from './sandbox-respond.js';
import type { SandboxState } from './sandbox-state.js';

/** The assumed ssid exchange: `{userId, token}` -> `{"status":"success","ssid":"...","code":200}`. */
export function runLogin(body: JsonObject, state: SandboxState): string {
  const userId = checkUserToken(body, state.logins);
  const ssid = state.logins.issueSsid(userId, state.settings.ssidTtlMs);
  state.stats.countLogin();
  return successEnvelope({ ssid });
}
