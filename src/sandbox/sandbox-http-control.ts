import type { IncomingMessage, ServerResponse } from 'node:http';

import type { SandboxControl } from './sandbox-control.js';
import type { SandboxFault } from './sandbox-fault.js';
import { SandboxInputError } from './sandbox-input-error.js';
import { readRequestBody } from './sandbox-request-body.js';
import { sendJson } from './sandbox-respond.js';

type ControlBody = Record<string, unknown>;
type ControlRoute = (control: SandboxControl, body: ControlBody) => { status: number; body: unknown };

/** The same SandboxControl over HTTP, under /__sandbox/ (paths are already lower-cased). */
const ROUTES: Record<string, ControlRoute> = {
  'POST /users': (control, body) => {
    control.addUser(body.userId as string, body.token as string);
    return { status: 201, body: { userId: body.userId } };
  },
  'POST /groups/seed': (control, body) => {
    const ids = control.seedGroups(body.userId as string, body.count as number, body.namePrefix as string | undefined);
    return { status: 201, body: { userId: body.userId, created: ids.length, firstId: ids[0] ?? null, lastId: ids.at(-1) ?? null } };
  },
  'POST /faults': (control, body) => {
    control.setFault(body as unknown as SandboxFault);
    return { status: 201, body: { fault: body } };
  },
  'DELETE /faults': (control) => {
    control.clearFaults();
    return { status: 200, body: { cleared: true } };
  },
  'POST /ssids/expire': (control) => {
    control.expireSsids();
    return { status: 200, body: { expired: true } };
  },
  'PATCH /config': (control, body) => {
    control.configure(body);
    return { status: 200, body: control.settings() };
  },
  'GET /stats': (control) => ({ status: 200, body: control.stats() }),
  'POST /reset': (control) => {
    control.reset();
    return { status: 200, body: { reset: true } };
  },
};

export async function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  control: SandboxControl,
): Promise<void> {
  const read = await readRequestBody(req);
  if (read === undefined) return;
  const route = ROUTES[`${req.method ?? 'GET'} ${path}`];
  if (!route) return reply(res, 404, { error: `no control route ${req.method} /__sandbox${path}` });
  if (read.tooLarge) return reply(res, 413, { error: 'body too large' });
  try {
    const result = route(control, parseControlBody(read.text));
    reply(res, result.status, result.body);
  } catch (error) {
    if (!(error instanceof SandboxInputError)) throw error;
    reply(res, 400, { error: error.message });
  }
}

function parseControlBody(text: string): ControlBody {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SandboxInputError('body must be JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SandboxInputError('body must be a JSON object');
  return parsed as ControlBody;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  sendJson(res, status, JSON.stringify(body));
}
