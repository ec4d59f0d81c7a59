import { existsSync } from 'node:fs';
import { type CapturedProcess, spawnCaptured } from './captured-process.js';
import { waitFor } from './wait-for.js';

export interface SandboxProcess extends CapturedProcess {
  url: string;
}

/** The built sandbox (`npm run sandbox`) in a process of its own, on a free port, once it listens. */
export async function spawnSandbox(): Promise<SandboxProcess> {
  if (!existsSync('dist/sandbox/sandbox.main.js'))
    throw new Error('dist/sandbox/sandbox.main.js is missing: run the suite with `npm test`, which builds first');
  const sandbox = spawnCaptured(process.execPath, ['dist/sandbox/sandbox.main.js'], {
    PATH: process.env.PATH,
    SANDBOX_PORT: '0',
  });
  const listening = (): string | undefined => /listening on (http:\/\/\S+)/.exec(sandbox.output())?.[1];
  try {
    await waitFor(
      () => {
        if (!sandbox.running()) throw new Error(`the sandbox exited during start-up:\n${sandbox.output()}`);
        return listening() !== undefined;
      },
      10_000,
      'the sandbox to listen',
    );
  } catch (error) {
    sandbox.child.kill('SIGKILL');
    throw error;
  }
  return { ...sandbox, url: listening()! };
}
