import type { IncomingMessage, ServerResponse } from 'node:http';

import { SandboxApiError } from './sandbox-api-error.js';
import { actOutFault } from './sandbox-fault-response.js';
import { parseJsonObject } from './sandbox-json-body.js';
import type { SandboxOp } from './sandbox-op.js';
import { runOp } from './sandbox-ops.js';
import { readRequestBody } from './sandbox-request-body.js';
import { errorEnvelope, sendJson } from './sandbox-respond.js';
import type { SandboxState } from './sandbox-state.js';

/** One upstream operation request: count it, read it, let a fault have it, else answer it. */
export async function handleOpRequest(req: IncomingMessage, res: ServerResponse, op: SandboxOp, state: SandboxState): Promise<void> {
  state.stats.countRequest(op);
  state.stats.inFlight += 1;
  res.once('close', () => {
    state.stats.inFlight -= 1;
  });

  const body = await readRequestBody(req);
  if (body === undefined) return; // the client went away

  const fault = state.faults.take(op);
  if (fault && (await actOutFault(fault, req, res, state.settings.errorHttpStatus, state.closing.signal))) return;

  if (body.tooLarge) {
    sendJson(res, 413, errorEnvelope(1047, 'Request body too large'));
    return;
  }
  // A delayed request is still carried out if its client gave up, as a slow upstream would.
  try {
    sendJson(res, 200, runOp(op, parseJsonObject(body.text), state));
  } catch (error) {
    if (!(error instanceof SandboxApiError)) throw error;
    sendJson(res, state.settings.errorHttpStatus, errorEnvelope(error.code));
  }
}
