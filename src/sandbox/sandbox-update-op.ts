import { SandboxApiError } from './sandbox-api-error.js';
import { parseGroupId, parseStatus, requireName } from './sandbox-body-fields.js';
import type { JsonObject } from './sandbox-json-body.js';
import { successEnvelope } from './sandbox-respond.js';
import type { SandboxState } from './sandbox-state.js';

/** update `{groupId, name, status?}`; an omitted status resets the group to 1 (upstream's documented default). */
export function runUpdate(body: JsonObject, userId: string, state: SandboxState): string {
  const id = parseGroupId(body.groupId, 1502);
  const name = requireName(body);
  const status = parseStatus(body.status);
  if (!state.groups.update(userId, id, name, status)) throw new SandboxApiError(1503);
  return successEnvelope({ message: 'Group updated successfully' });
}
