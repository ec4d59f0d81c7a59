import type { IncomingMessage, ServerResponse } from 'node:http';

import type { SandboxControl } from './sandbox-control.js';
import { handleControlRequest } from './sandbox-http-control.js';
import { handleOpRequest } from './sandbox-op-handler.js';
import { errorEnvelope, sendJson } from './sandbox-respond.js';
import { routeOf } from './sandbox-route.js';
import type { SandboxState } from './sandbox-state.js';

/** Routes one request. Never rejects: anything unexpected is answered 500 / 1032, so no input crashes the server. */
export async function handleSandboxRequest(
  req: IncomingMessage,
  res: ServerResponse,
  state: SandboxState,
  control: SandboxControl,
): Promise<void> {
  req.on('error', () => undefined);
  res.on('error', () => undefined);
  try {
    const route = routeOf(req.url);
    if (route.kind === 'control') return await handleControlRequest(req, res, route.path, control);
    if (route.kind === 'unknown') return answerWithoutBody(req, res, 404, 'Not found');
    if (req.method !== 'POST') return answerWithoutBody(req, res, 405, 'Method not allowed', { Allow: 'POST' });
    await handleOpRequest(req, res, route.op, state);
  } catch {
    sendJson(res, 500, errorEnvelope(1032));
  }
}

function answerWithoutBody(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  message: string,
  headers?: Record<string, string>,
): void {
  req.resume(); // drain whatever was sent so the connection stays reusable
  sendJson(res, status, errorEnvelope(status, message), headers);
}
