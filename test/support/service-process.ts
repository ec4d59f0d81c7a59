import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { spawnCaptured } from './captured-process.js';
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
  const { child, output, exited, running } = spawnCaptured(process.execPath, ['dist/main.js'], {
    PATH: process.env.PATH,
    ...env,
    PORT: port,
  });
  const url = `http://127.0.0.1:${port}`;
  const service = { child, url, output, exited };
  if (waitUntilReady) {
    await waitFor(
      async () => {
        if (!running()) throw new Error(`the service exited during start-up:\n${output()}`);
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
