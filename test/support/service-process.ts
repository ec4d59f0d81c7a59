import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { waitFor } from './wait-for.js';
import { freePort } from '../../scripts/private-redis.mjs';

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/** The built service (`node dist/main.js`, as the container runs it) in a process of its own. */
export async function spawnService(
  env: Record<string, string>,
  { waitUntilReady = true } = {},
): Promise<ServiceProcess> {
  if (!existsSync('dist/main.js'))
    throw new Error('dist/main.js is missing: run the suite with `npm test`, which builds first');
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { PATH: process.env.PATH, ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const service = { child, url, output: () => output, exited };
  if (waitUntilReady) {
    let stopped = false;
    void exited.then(() => (stopped = true));
    await waitFor(
      async () => {
        if (stopped) throw new Error(`the service exited during start-up:\n${output}`);
        return fetch(`${url}/health/ready`).then(
          (response) => response.ok,
          () => false,
        );
      },
      20_000,
      'the service to be ready',
    );
  }
  return service;
}
