import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';

// docs/sandbox.md against a real sandbox: every fault mode has an example, and every control
// command of the page works as written (only the address is the test sandbox's).
const DOC = readFileSync(resolve(fileURLToPath(new URL('../..', import.meta.url)), 'docs/sandbox.md'), 'utf8');
const DOC_ADDRESS = 'http://127.0.0.1:4010';
const MODES = ['delay', 'hang', 'http-status', 'reset', 'non-json', 'error-code', 'rate-limit'];

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

const controlCommands = () =>
  DOC.split('\n').filter((line) => line.startsWith('curl ') && line.includes('/__sandbox/'));

function run(command: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile('sh', ['-c', command], { timeout: 20_000 }, (error, stdout, stderr) =>
      done({ code: typeof error?.code === 'number' ? error.code : error ? -1 : 0, output: stdout + stderr }),
    );
  });
}

describe('docs/sandbox.md', () => {
  it('shows every fault mode with a curl example', () => {
    for (const mode of MODES)
      expect({ mode, example: controlCommands().some((line) => line.includes(`"mode":"${mode}"`)) }).toEqual({
        mode,
        example: true,
      });
  });

  it('has control commands that the sandbox accepts as written', async () => {
    const commands = controlCommands();
    expect(commands.length).toBeGreaterThanOrEqual(MODES.length + 7);
    for (const command of commands) {
      const { code, output } = await run(command.replaceAll(DOC_ADDRESS, sandbox.url));
      expect({ command, code, output: code === 0 ? '' : output }).toEqual({ command, code: 0, output: '' });
    }
    // They took effect: the options set last are in force.
    expect(sandbox.control.settings()).toMatchObject({
      emptyListAs: 'empty',
      ssidTtlMs: 5000,
      listShape: 'object-by-id',
    });
  }, 60_000);
});
