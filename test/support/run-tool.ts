import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command from the repo root and reports its exit code and output (never throws on exit codes). */
export function runTool(command: string, args: string[], timeoutMs = 60_000): Promise<ToolRun> {
  return new Promise((done, fail) => {
    execFile(
      command,
      args,
      { cwd: REPO_ROOT, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const failure: Error | null = error; // a spawn failure (no exit code), not a failing tool
        if (failure && typeof error?.code !== 'number') return fail(failure);
        done({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** A binary of node_modules/.bin. */
export const bin = (name: string): string => resolve(REPO_ROOT, 'node_modules/.bin', name);
