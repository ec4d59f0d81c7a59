// The sandbox server: start and stop, routing (the wire itself is in sandbox-wire.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { applyRuntimeOptions, handleControlRequest, SandboxControl } from './sandbox-control.js';
import { handleOpRequest } from './sandbox-operations.js';
import { errorEnvelope, isIntegerIn, SandboxInputError, type SandboxOp, sendJson } from './sandbox-wire.js';
import { DEFAULT_SANDBOX_SETTINGS, KEPT_TRACE_HEADERS, type SandboxOptions, SandboxState } from './sandbox-store.js';

export { DEMO_LOGIN } from './sandbox-store.js';
export { SandboxControl } from './sandbox-control.js';
export { SandboxInputError } from './sandbox-wire.js';
export type { SandboxFault, SandboxFaultMode } from './sandbox-faults.js';
export type { SandboxGroup } from './sandbox-store.js';
export type { SandboxOp } from './sandbox-wire.js';
export type { SandboxOptions, SandboxRuntimeOptions, SandboxSettings } from './sandbox-store.js';
export type { SandboxStats } from './sandbox-store.js';

export interface RunningSandbox {
  /** e.g. http://127.0.0.1:40123 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly control: SandboxControl;
  /** Closes the server and destroys every open socket, hung requests included. */
  close(): Promise<void>;
}

/** Starts the DeepCall Group API emulator (docs/deepcall-upstream.md). */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const { port = 0, host = '127.0.0.1', ...runtime } = options;
  if (!isIntegerIn(port, 0, 65_535)) throw new SandboxInputError('port must be an integer 0..65535');
  const state = new SandboxState(applyRuntimeOptions({ ...DEFAULT_SANDBOX_SETTINGS }, runtime));
  const control = new SandboxControl(state);

  const server = createServer((req, res) => void handleSandboxRequest(req, res, state, control));
  // Longer than typical client keep-alive pools, so idle reuse does not race the server's close.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('connection', (socket) => {
    state.sockets.add(socket);
    socket.once('close', () => state.sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await listen(server, port, host);
  const actualPort = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    port: actualPort,
    control,
    close: () => (closed ??= closeServer(server, state)),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server, state: SandboxState): Promise<void> {
  state.closing.abort();
  const done = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of state.sockets) socket.destroy();
  state.sockets.clear();
  return done;
}

/** Routes one request. Never rejects: anything unexpected is answered 500 / 1032, so no input crashes the server. */
async function handleSandboxRequest(
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
    noteTraceHeaders(state, route.op, req);
    await handleOpRequest(req, res, route.op, state);
  } catch {
    sendJson(res, 500, errorEnvelope(1032));
  }
}

function noteTraceHeaders(state: SandboxState, op: SandboxOp, req: IncomingMessage): void {
  const { traceparent, tracestate } = req.headers;
  state.traceHeaders.push({
    op,
    ...(typeof traceparent === 'string' && { traceparent }),
    ...(typeof tracestate === 'string' && { tracestate }),
  });
  if (state.traceHeaders.length > KEPT_TRACE_HEADERS) state.traceHeaders.shift();
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

type SandboxRoute = { kind: 'op'; op: SandboxOp } | { kind: 'control'; path: string } | { kind: 'unknown' };

const CONTROL_PREFIX = '/__sandbox';

const OP_PATHS: ReadonlyMap<string, SandboxOp> = new Map<string, SandboxOp>([
  ['/api/v2/group/add', 'add'],
  ['/api/v2/group/update', 'update'],
  ['/api/v2/group/delete', 'delete'],
  ['/api/v2/group/list', 'list'],
  ['/api/v2/user/login', 'login'],
]);

/** Where a request goes. Upstream's docs mix casing and trailing slashes, so both are ignored. */
function routeOf(url: string | undefined): SandboxRoute {
  const path = normalisePath(url ?? '/');
  const op = OP_PATHS.get(path);
  if (op) return { kind: 'op', op };
  if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
    return { kind: 'control', path: path.slice(CONTROL_PREFIX.length) || '/' };
  }
  return { kind: 'unknown' };
}

function normalisePath(url: string): string {
  const queryAt = url.search(/[?#]/);
  const path = (queryAt < 0 ? url : url.slice(0, queryAt)).toLowerCase().replace(/\/+$/, '');
  return path === '' ? '/' : path;
}
