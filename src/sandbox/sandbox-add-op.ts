import { requireName } from './sandbox-body-fields.js';
import type { JsonObject } from './sandbox-json-body.js';
import { successEnvelope } from './sandbox-respond.js';
import type { SandboxState } from './sandbox-state.js';

/** add `{name}` -> `{"status":"success","groupId":<number>,"code":200}`; a taken name gets a suffix. */
export function runAdd(body: JsonObject, userId: string, state: SandboxState): string {
  const group = state.groups.add(userId, requireName(body));
  return successEnvelope({ groupId: group.id });
}
