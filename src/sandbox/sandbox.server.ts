import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SandboxControl } from './sandbox-control.js';
import { SandboxInputError } from './sandbox-input-error.js';
import { applyRuntimeOptions, DEFAULT_SANDBOX_SETTINGS, isIntegerIn, type SandboxOptions } from './sandbox-options.js';
import { handleSandboxRequest } from './sandbox-request-handler.js';
import { SandboxState } from './sandbox-state.js';

export { DEMO_LOGIN } from './sandbox-login-store.js';
export { SandboxControl } from './sandbox-control.js';
export { SandboxInputError } from './sandbox-input-error.js';
export type { SandboxFault, SandboxFaultMode } from './sandbox-fault.js';
export type { SandboxGroup } from './sandbox-group.js';
export type { SandboxOp } from './sandbox-op.js';
export type { SandboxOptions, SandboxRuntimeOptions, SandboxSettings } from './sandbox-options.js';
export type { SandboxStats } from './sandbox-stats.js';

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
