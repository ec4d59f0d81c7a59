import { runAdd } from './sandbox-add-op.js';
import { authenticate } from './sandbox-auth.js';
import { runDelete } from './sandbox-delete-op.js';
import type { JsonObject } from './sandbox-json-body.js';
import { runList } from './sandbox-list-op.js';
import { runLogin } from './sandbox-login-op.js';
import type { SandboxOp } from './sandbox-op.js';
import type { SandboxState } from './sandbox-state.js';
import { runUpdate } from './sandbox-update-op.js';

/** An op answers its success body as JSON text (or already encoded, for cached answers). */
type GroupOp = (body: JsonObject, userId: string, state: SandboxState) => string | Buffer;

const GROUP_OPS: Record<Exclude<SandboxOp, 'login'>, GroupOp> = {
  add: runAdd,
  update: runUpdate,
  delete: runDelete,
  list: runList,
};

/** Runs one operation on a parsed body; returns the success JSON or throws SandboxApiError. */
export function runOp(op: SandboxOp, body: JsonObject, state: SandboxState): string | Buffer {
  if (op === 'login') return runLogin(body, state);
  return GROUP_OPS[op](body, authenticate(body, state.logins), state);
}
