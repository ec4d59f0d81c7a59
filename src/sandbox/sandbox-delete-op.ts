import { SandboxApiError } from './sandbox-api-error.js';
import { parseGroupId } from './sandbox-body-fields.js';
import type { JsonObject } from './sandbox-json-body.js';
import { successEnvelope } from './sandbox-respond.js';
import type { SandboxState } from './sandbox-state.js';

/** delete `{groupId}`: permanent. */
export function runDelete(body: JsonObject, userId: string, state: SandboxState): string {
  const id = parseGroupId(body.groupId, 1502);
  if (!state.groups.remove(userId, id)) throw new SandboxApiError(1503);
  return successEnvelope({ message: 'Group deleted successfully' });
}
