import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessPlacement, spawnCaptured } from './captured-process.js';
import { waitFor } from './wait-for.js';
import { freePort } from '../../scripts/private-redis.mjs';
import { startArguments } from '../../scripts/start-command.mjs';

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * The built service, started as `npm start` and the image start it (node with the start
 * script's arguments), in a process of its own,
 * answered once it is ready, or once it also reaches Redis (readiness checks this process only:
 * a test whose state is in Redis waits for `dependencies`), or at once. By default from the
 * repository as the current user with this Node; `cwd` runs a copy of the built app elsewhere
 * (its own dist/main.js), `uid`/`gid` as another user, `node` another copy of the Node binary.
 */
export async function spawnService(
  env: Record<string, string>,
  {
    waitUntil = 'ready',
    node = process.execPath,
    ...placement
  }: { waitUntil?: 'ready' | 'dependencies' | 'nothing'; node?: string } & ProcessPlacement = {},
): Promise<ServiceProcess> {
  if (!existsSync(join(placement.cwd ?? '.', 'dist/main.js')))
    throw new Error('dist/main.js is missing: run the suite with `npm test`, which builds first');
  const port = env.PORT ?? String(await freePort());
  const { child, output, exited, running } = spawnCaptured(
    node,
    startArguments(),
    { PATH: process.env.PATH, ...env, PORT: port },
    placement,
  );
  const url = `http://127.0.0.1:${port}`;
  const service = { child, url, output, exited };
  if (waitUntil !== 'nothing') {
    try {
      await waitFor(
        async () => {
          if (!running()) throw new Error(`the service exited during start-up:\n${output()}`);
          return fetch(`${url}/health/${waitUntil}`).then(
            (response) => response.ok,
            () => false,
          );
        },
        20_000,
        `the service's /health/${waitUntil}`,
      );
    } catch (error) {
      // Nobody will stop a service that never started: it goes with the failure.
      child.kill('SIGKILL');
      throw error;
    }
  }
  return service;
}
