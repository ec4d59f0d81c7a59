// A throwaway redis-server on a free loopback port, for the test suite and the benchmark.
import { spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts redis-server and resolves once it answers PING. `extraArgs` come first, so a config
 * file (for a Sentinel) can be the first argument. With `appendOnlyDir`, Redis keeps an
 * append-only file there (as compose.yaml runs it), so a restart on that directory keeps the data.
 */
export async function startPrivateRedis(port, extraArgs = [], { appendOnlyDir } = {}) {
  const chosen = port ?? (await freePort());
  const persistence = appendOnlyDir
    ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', appendOnlyDir]
    : ['--appendonly', 'no'];
  const args = [
    ...extraArgs,
    '--port',
    String(chosen),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    ...persistence,
    '--loglevel',
    'warning',
  ];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitForPong(chosen, exited);
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    pid: child.pid,
    /** SIGSTOP: the port stays open but nothing answers (a frozen Redis). */
    freeze: () => child.kill('SIGSTOP'),
    thaw: () => child.kill('SIGCONT'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    },
    /** SIGTERM, as an orchestrator restarting it sends: Redis flushes its append-only file and exits. */
    async shutdown() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitForPong(port, exited) {
  let failed = false;
  exited.then(() => (failed = true));
  for (;;) {
    if (failed) throw new Error(`redis-server on port ${port} exited during start-up`);
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}
