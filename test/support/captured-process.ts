import { ChildProcess, spawn } from 'node:child_process';

/** A child process whose stdout and stderr are kept, as one text, for failure messages and log checks. */
export interface CapturedProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  running: () => boolean;
}

/** Where and as whom the process runs: a working directory, and a user and group (when root). */
export interface ProcessPlacement {
  cwd?: string;
  uid?: number;
  gid?: number;
}

export function spawnCaptured(
  command: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
  { cwd, uid, gid }: ProcessPlacement = {},
): CapturedProcess {
  const child = spawn(command, args, { env, cwd, uid, gid, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let running = true;
  child.once('exit', () => (running = false));
  // On 'close', after the output is all read: 'exit' can come before the last of it.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => output, exited, running: () => running };
}
