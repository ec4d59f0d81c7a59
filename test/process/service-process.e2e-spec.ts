import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, request } from 'node:http';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { spawnService } from '../support/service-process.js';
import { testRedisUrl } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';

const basicDemo = `Basic ${Buffer.from('demo:demo-token').toString('base64')}`;

/** The `msg` of every JSON log line the process wrote. */
const messages = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { msg: string }).msg);

describe('start-up', () => {
  it('in production without its required settings exits non-zero, naming each', async () => {
    const service = await spawnService({ NODE_ENV: 'production' }, { waitUntil: 'nothing' });
    expect(await service.exited).toBe(1);
    for (const name of ['DEEPCALL_BASE_URL', 'REDIS_URL', 'SESSION_SECRET']) expect(service.output()).toContain(name);
  });

  it('with bad values exits non-zero, naming each bad variable in one message', async () => {
    const service = await spawnService(
      { PORT: '0', DEEPCALL_TIMEOUT_MS: 'soon', LOG_LEVEL: 'chatty' },
      { waitUntil: 'nothing' },
    );
    expect(await service.exited).toBe(1);
    const text = service.output();
    expect(text).toContain('Invalid configuration:');
    expect(text).toMatch(/- DEEPCALL_TIMEOUT_MS /);
    expect(text).toMatch(/- LOG_LEVEL /);
    expect(text).not.toContain('chatty');
  });

  it('on a port already taken exits non-zero instead of hanging', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
    try {
      const service = await spawnService(
        { PORT: String((blocker.address() as AddressInfo).port) },
        { waitUntil: 'nothing' },
      );
      expect(await service.exited).toBe(1);
      expect(service.output()).toContain('EADDRINUSE');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('runs with the heap flags of its start command (npm start, the image), which this Node accepts', async () => {
    const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const service = await spawnService({ SHUTDOWN_DRAIN_DELAY_MS: '0' });
    try {
      expect(cmdline(service.child.pid!)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^--max-semi-space-size=\d+$/),
          '--heap-growing-percent=50',
          'dist/main.js',
        ]),
      );
      expect(service.output()).not.toMatch(/bad option/);
    } finally {
      service.child.kill('SIGINT');
      expect(await service.exited).toBe(0);
    }
  });

  it('loads the sandbox only when it starts one: never with DEEPCALL_BASE_URL set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'groups-bff-modules-'));
    const loadedBy = async (env: Record<string, string>) => {
      const file = join(dir, 'modules.txt');
      const service = await spawnService({
        ...env,
        SHUTDOWN_DRAIN_DELAY_MS: '0',
        LOADED_MODULES_FILE: file,
        NODE_OPTIONS: `--import=${resolve('test/support/loaded-modules.mjs')}`,
      });
      service.child.kill('SIGINT');
      expect(await service.exited).toBe(0);
      return readFileSync(file, 'utf8').split('\n');
    };
    try {
      const sandboxModules = (urls: string[]) => urls.filter((url) => url.includes('/dist/sandbox/'));
      // With no configuration it starts one (the check can see a loaded sandbox)...
      expect(sandboxModules(await loadedBy({}))).toContainEqual(expect.stringMatching(/sandbox\.server\.js$/));
      // ... and with a DeepCall to call, none of its code is loaded.
      const production = await loadedBy({ DEEPCALL_BASE_URL: 'http://127.0.0.1:9' });
      expect(production).toContainEqual(expect.stringMatching(/\/dist\/main\.js$/));
      expect(sandboxModules(production)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with no configuration serves the demo login on the built-in sandbox and in-process store, and says so', async () => {
    const service = await spawnService({ SHUTDOWN_DRAIN_DELAY_MS: '0' });
    try {
      const created = await fetch(`${service.url}/v1/groups`, {
        method: 'POST',
        headers: { authorization: basicDemo, 'content-type': 'application/json' },
        body: '{"name":"From a fresh start"}',
      });
      expect(created.status).toBe(201);
      const listed = await fetch(`${service.url}/v1/groups`, { headers: { authorization: basicDemo } });
      expect(((await listed.json()) as { data: { name: string }[] }).data.map((group) => group.name)).toContain(
        'From a fresh start',
      );
    } finally {
      service.child.kill('SIGINT');
      expect(await service.exited).toBe(0);
    }
    // Read once the process has ended: log lines are written in batches, the last one at exit
    // (and its pipe may still be draining).
    await waitFor(
      () => service.output().includes('sessions are kept in this process only'),
      5000,
      'the start-up warnings',
    );
    const said = messages(service.output()).join('\n');
    expect(said).toMatch(/built-in DeepCall sandbox/);
    expect(said).toMatch(/Demo login: userId "demo", token "demo-token"/);
    expect(said).toMatch(/sessions are kept in this process only/);
    expect(said).toMatch(/Swagger UI: http:\/\/localhost:\d+\/docs/);
  });
});

describe('graceful shutdown', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  it('on SIGTERM: readiness fails at once, the in-flight request finishes with 200, exit code 0', async () => {
    const service = await spawnService({
      NODE_ENV: 'production',
      DEEPCALL_BASE_URL: sandbox.url,
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: `shutdown-${randomBytes(4).toString('hex')}:`,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      SHUTDOWN_DRAIN_DELAY_MS: '500',
      SHUTDOWN_GRACE_MS: '10000',
    });
    const warm = await fetch(`${service.url}/v1/groups`, { headers: { authorization: basicDemo } });
    expect(warm.status).toBe(200);

    sandbox.control.setFault({ op: 'list', mode: 'delay', delayMs: 1500 });
    const slow = fetch(`${service.url}/v1/groups`, { headers: { authorization: basicDemo } });
    await waitFor(() => sandbox.control.stats().inFlight > 0, 5000, 'the slow request to reach the upstream');
    service.child.kill('SIGTERM');

    await waitFor(async () => (await fetch(`${service.url}/health/ready`)).status === 503, 400, 'readiness to fail');
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);

    const response = await slow;
    expect(response.status).toBe(200);
    expect(await service.exited).toBe(0);
    sandbox.control.clearFaults();
    // Every buffered line is written before the exit, the slow request's own line included.
    expect(messages(service.output())).toEqual(
      expect.arrayContaining(['Stop signal received: draining', 'GET /v1/groups 200', 'Connections closed', 'Stopped']),
    );
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'a second signal (%s) during the drain ends it at once, with a non-zero exit code',
    async (second) => {
      const service = await spawnService({
        ...productionEnv(sandbox),
        SHUTDOWN_DRAIN_DELAY_MS: '60000',
        SHUTDOWN_GRACE_MS: '60000',
      });
      try {
        service.child.kill('SIGTERM');
        await waitFor(() => service.output().includes('Stop signal received: draining'), 5000, 'the drain to start');
        const sent = performance.now();
        service.child.kill(second);
        expect(await service.exited).toBe(second === 'SIGTERM' ? 143 : 130);
        expect(performance.now() - sent).toBeLessThan(2000);
        expect(messages(service.output())).toContain('Second stop signal received: exiting now');
      } finally {
        if (service.child.exitCode === null) service.child.kill('SIGKILL');
      }
    },
  );

  it('keeps connections open while draining; once it stops accepting, answers a request on an idle connection and closes it', async () => {
    const service = await spawnService({
      ...productionEnv(sandbox),
      SHUTDOWN_DRAIN_DELAY_MS: '1500',
      SHUTDOWN_GRACE_MS: '10000',
    });
    // One kept-alive connection, as a gateway's upstream pool holds.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(service.url, agent);
      expect(first.status).toBe(200);
      service.child.kill('SIGTERM');
      await waitFor(async () => (await fetch(`${service.url}/health/ready`)).status === 503, 1000, 'readiness to fail');

      // Draining: answered on the same connection, which stays open (no new connection per request).
      const draining = await get(service.url, agent);
      expect(draining).toMatchObject({ status: 200, connection: 'keep-alive', socket: first.socket });

      // Stopped accepting: a new connection is refused, and a request already sent on the open
      // connection (a gateway without health checks does that) is answered, then the connection closes.
      await waitFor(() => refusesConnections(service.url), 5000, 'the server to stop accepting');
      const late = await get(service.url, agent);
      expect(late).toMatchObject({ status: 200, connection: 'close', socket: first.socket });
      expect(await service.exited).toBe(0);
    } finally {
      agent.destroy();
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
    }
  });
});

describe('logs', () => {
  it('a request line of an idle service reaches stdout within a second', async () => {
    const service = await spawnService({ SHUTDOWN_DRAIN_DELAY_MS: '0' });
    try {
      const requestId = `idle-${randomBytes(4).toString('hex')}`;
      const response = await fetch(`${service.url}/v1/groups`, {
        headers: { authorization: basicDemo, 'x-request-id': requestId },
      });
      expect(response.status).toBe(200);
      // Well short of the 4 KiB batch: only the flush timer can write it.
      await waitFor(() => service.output().includes(requestId), 1000, 'the request line on stdout');
    } finally {
      service.child.kill('SIGINT');
      expect(await service.exited).toBe(0);
    }
  });

  it('a buffered line is written when an uncaught error ends the process', async () => {
    // The service's own stdout logger; the error comes well before the flush timer would write the line.
    const script = `import { createRootLogger } from './dist/core/logging/root-logger.js';
      createRootLogger('info').info('written before the crash');
      setTimeout(() => { throw new Error('uncaught'); }, 10);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).toContain('written before the crash');
  });
});

function productionEnv(sandbox: RunningSandbox): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DEEPCALL_BASE_URL: sandbox.url,
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: `shutdown-${randomBytes(4).toString('hex')}:`,
    SESSION_SECRET: randomBytes(32).toString('hex'),
  };
}

/** A GET of /v1/groups through `agent`, with the connection it used (a number per socket). */
function get(url: string, agent: Agent): Promise<{ status: number; connection: string | undefined; socket: number }> {
  return new Promise((resolve, reject) => {
    const sent = request(`${url}/v1/groups`, { agent, headers: { authorization: basicDemo } }, (response) => {
      const socket = socketNumber(response.socket);
      response.resume();
      response.once('end', () =>
        resolve({ status: response.statusCode!, connection: response.headers.connection, socket }),
      );
    });
    sent.once('error', reject);
    sent.end();
  });
}

const sockets = new WeakMap<object, number>();
let socketsSeen = 0;
const socketNumber = (socket: object) => {
  if (!sockets.has(socket)) sockets.set(socket, ++socketsSeen);
  return sockets.get(socket)!;
};

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
