import { ChildProcess, spawn } from 'node:child_process';

/** A child process whose stdout and stderr are kept, as one text, for failure messages and log checks. */
export interface CapturedProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  running: () => boolean;
}

export function spawnCaptured(command: string, args: string[], env?: NodeJS.ProcessEnv): CapturedProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let running = true;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running = false;
      resolve(code);
    }),
  );
  return { child, output: () => output, exited, running: () => running };
}
