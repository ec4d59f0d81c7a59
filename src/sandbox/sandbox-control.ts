// Runtime control: the settings a test can change, in-process (SandboxControl) or over HTTP.
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { SandboxFault } from './sandbox-faults.js';
import type {
  ReceivedTraceHeaders,
  SandboxEmptyListAs,
  SandboxGroup,
  SandboxIdField,
  SandboxListShape,
  SandboxRuntimeOptions,
  SandboxSettings,
  SandboxState,
  SandboxStats,
} from './sandbox-store.js';
import { isIntegerIn, readRequestBody, SandboxInputError, sendJson } from './sandbox-wire.js';

/** How tests, benchmarks and the /__sandbox/ routes steer a running sandbox. */
export class SandboxControl {
  constructor(private readonly state: SandboxState) {}

  addUser(userId: string, token: string): void {
    requireText(userId, 'userId');
    requireText(token, 'token');
    this.state.logins.addUser(userId, token);
  }

  /** Creates `count` groups named `<namePrefix> 1..count` (suffixed if taken); returns their ids. */
  seedGroups(userId: string, count: number, namePrefix = 'Group'): number[] {
    requireText(userId, 'userId');
    requireText(namePrefix, 'namePrefix');
    if (!isIntegerIn(count, 0, 1_000_000)) throw new SandboxInputError('count must be an integer 0..1000000');
    const now = new Date();
    const ids: number[] = [];
    for (let n = 1; n <= count; n += 1) ids.push(this.state.groups.add(userId, `${namePrefix} ${n}`, now).id);
    return ids;
  }

  /** Adds a fault; faults are consulted oldest first. */
  setFault(fault: SandboxFault): void {
    this.state.faults.add(fault);
  }

  clearFaults(): void {
    this.state.faults.clear();
  }

  expireSsids(): void {
    this.state.logins.expireSsids();
  }

  configure(options: SandboxRuntimeOptions): void {
    this.state.settings = applyRuntimeOptions(this.state.settings, options);
  }

  settings(): SandboxSettings {
    return { ...this.state.settings };
  }

  stats(): SandboxStats {
    return this.state.stats.snapshot(this.state.sockets.size);
  }

  resetStats(): void {
    this.state.stats.reset();
    this.state.traceHeaders.length = 0;
  }

  /** traceparent and tracestate of the latest operation requests, oldest first. */
  traceHeaders(): ReceivedTraceHeaders[] {
    return this.state.traceHeaders.map((received) => ({ ...received }));
  }

  /** Copies of the user's stored groups, in id order. */
  groupsOf(userId: string): SandboxGroup[] {
    return Array.from(this.state.groups.list(userId), (group) => ({ ...group }));
  }

  /** Back to the state right after start: demo login only, no groups, faults, ssids or counts. */
  reset(): void {
    this.state.logins.reset();
    this.state.groups.clear();
    this.state.faults.clear();
    this.state.stats.reset();
    this.state.traceHeaders.length = 0;
    this.state.settings = { ...this.state.startSettings };
  }
}

function requireText(value: unknown, name: string): void {
  if (typeof value !== 'string' || value.length === 0)
    throw new SandboxInputError(`${name} must be a non-empty string`);
}

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
    return {
      status: 201,
      body: { userId: body.userId, created: ids.length, firstId: ids[0] ?? null, lastId: ids.at(-1) ?? null },
    };
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
  'GET /trace-headers': (control) => ({ status: 200, body: control.traceHeaders() }),
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
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SandboxInputError('body must be a JSON object');
  return parsed as ControlBody;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  sendJson(res, status, JSON.stringify(body));
}

const ID_FIELDS: readonly string[] = ['id', 'groupId', 'group_id', 'groupid'];
const EMPTY_LIST_AS: readonly string[] = ['error-1012', 'empty'];
const LIST_SHAPES: readonly string[] = ['array', 'object-by-id'];

/** Returns `base` with the given runtime options applied; throws SandboxInputError naming a bad one. */
export function applyRuntimeOptions(base: SandboxSettings, patch: unknown): SandboxSettings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new SandboxInputError('options must be an object');
  }
  const given = patch as Record<string, unknown>;
  const next = { ...base };
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    switch (key) {
      case 'ssidTtlMs':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw bad(key, 'a number >= 0');
        next.ssidTtlMs = value;
        break;
      case 'errorHttpStatus':
        if (!isIntegerIn(value, 200, 599)) throw bad(key, 'an HTTP status 200..599');
        next.errorHttpStatus = value;
        break;
      case 'emptyListAs':
        if (!EMPTY_LIST_AS.includes(value as string)) throw bad(key, EMPTY_LIST_AS.join(' | '));
        next.emptyListAs = value as SandboxEmptyListAs;
        break;
      case 'listShape':
        if (!LIST_SHAPES.includes(value as string)) throw bad(key, LIST_SHAPES.join(' | '));
        next.listShape = value as SandboxListShape;
        break;
      case 'idField':
        if (!ID_FIELDS.includes(value as string)) throw bad(key, ID_FIELDS.join(' | '));
        next.idField = value as SandboxIdField;
        break;
      case 'idsAsStrings':
        if (typeof value !== 'boolean') throw bad(key, 'a boolean');
        next.idsAsStrings = value;
        break;
      default:
        throw new SandboxInputError(`unknown option "${key}"`);
    }
  }
  return next;
}

function bad(key: string, expected: string): SandboxInputError {
  return new SandboxInputError(`option "${key}" must be ${expected}`);
}
