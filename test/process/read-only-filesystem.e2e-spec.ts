// The image's claim, checked without a container engine: the service writes nothing outside /tmp
// at run time, so it runs on a read-only root file system (compose `read_only: true`, Kubernetes
// `readOnlyRootFilesystem`). The built app is copied as the image lays it out (dist/, package.json
// and the production dependencies of package-lock.json, no dev ones), owned by root and not
// writable by others, and run as `nobody`: root ignores file modes, another user does not, so
// any write to the app, its code or its Node would fail the start, a request or the shutdown.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnService } from '../support/service-process.js';
import { testRedisUrl } from '../support/test-app.js';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';

const basicDemo = `Basic ${Buffer.from('demo:demo-token').toString('base64')}`;

interface LockedPackage {
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
}

/** What `npm ci --omit=dev --omit=optional` installs: the lockfile's top-level packages that are neither. */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockedPackage> };
  return Object.entries(lock.packages)
    .filter(([path]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path))
    .filter(([, entry]) => !entry.dev && !entry.devOptional && !entry.optional)
    .map(([path]) => path);
}

/** The built app as the image's runtime stage holds it, plus the Node binary, in a fresh directory. */
function copyBuiltApp(): string {
  const app = mkdtempSync(join(tmpdir(), 'groups-bff-read-only-'));
  cpSync('dist', join(app, 'dist'), { recursive: true });
  copyFileSync('package.json', join(app, 'package.json'));
  for (const path of productionPackages()) cpSync(path, join(app, path), { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(app, 'bin'));
  copyFileSync(process.execPath, join(app, 'bin/node'));
  // Root's, readable by everyone, writable by no one else (mkdtemp makes the top 0700); the
  // umask may have left group or other write bits on the copies: take them off everywhere.
  execFileSync('chown', ['-R', 'root:root', app]);
  execFileSync('chmod', ['-R', 'u+rwX,go+rX,go-w', app]);
  chmodSync(join(app, 'bin/node'), 0o755);
  return app;
}

const idOf = (flag: '-u' | '-g'): number => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());

describe('the built service on a read-only file system (run as nobody, its files root-owned)', () => {
  let app: string;
  let sandbox: RunningSandbox;
  const nobody = { uid: idOf('-u'), gid: idOf('-g') };

  beforeAll(async () => {
    // Only root can start a process as another user; the suite runs as root (as CI does).
    expect(process.getuid?.()).toBe(0);
    app = copyBuiltApp();
    sandbox = await startSandbox();
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('is really unwritable for nobody: the app, its code, its dependencies and its Node, while /tmp is writable', () => {
    const node = join(app, 'bin/node');
    const tryWrite = (path: string) =>
      spawnSync(
        node,
        [
          '-e',
          `try { require('fs').writeFileSync(${JSON.stringify(path)}, 'x'); console.log('written') } catch (e) { console.log(e.code) }`,
        ],
        { ...nobody, encoding: 'utf8' },
      ).stdout.trim();
    for (const path of [
      join(app, 'probe'),
      join(app, 'dist/probe'),
      join(app, 'dist/main.js'),
      join(app, 'node_modules/probe'),
      join(app, 'node_modules/ioredis/probe'),
      node,
    ])
      expect({ path, result: tryWrite(path) }).toEqual({ path, result: expect.stringMatching(/^(EACCES|ETXTBSY)$/) });
    const scratch = join(tmpdir(), `groups-bff-nobody-${randomBytes(4).toString('hex')}`);
    try {
      expect(tryWrite(scratch)).toBe('written');
    } finally {
      rmSync(scratch, { force: true });
    }
    // and no dev dependency came along: the runtime stage's node_modules
    expect(() => readFileSync(join(app, 'node_modules/jest/package.json'))).toThrow(/ENOENT/);
  });

  it('starts, serves readiness and a Basic list, and exits 0 on SIGTERM', async () => {
    const service = await spawnService(
      {
        NODE_ENV: 'production',
        DEEPCALL_BASE_URL: sandbox.url,
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: `read-only-${randomBytes(4).toString('hex')}:`,
        SESSION_SECRET: randomBytes(32).toString('hex'),
        SHUTDOWN_DRAIN_DELAY_MS: '200',
        SHUTDOWN_GRACE_MS: '5000',
      },
      { cwd: app, node: join(app, 'bin/node'), ...nobody },
    );
    let exitCode: number | null;
    try {
      // It is the copy, run as nobody.
      const pid = service.child.pid!;
      expect(readlinkSync(`/proc/${pid}/cwd`)).toBe(app);
      expect(readlinkSync(`/proc/${pid}/exe`)).toBe(join(app, 'bin/node'));
      expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(
        new RegExp(`^Uid:\\s+${nobody.uid}\\s+${nobody.uid}\\s+${nobody.uid}\\s+${nobody.uid}$`, 'm'),
      );

      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok' });

      const list = await fetch(`${service.url}/v1/groups`, { headers: { authorization: basicDemo } });
      expect(list.status).toBe(200);
      const page = (await list.json()) as { data: unknown[]; next: string | null };
      expect(Array.isArray(page.data)).toBe(true);
      expect(page.next).toBeNull();
      // The session it made for the Basic login went to Redis: the store works too.
      const dependencies = await fetch(`${service.url}/health/dependencies`);
      expect(dependencies.status).toBe(200);
    } finally {
      service.child.kill('SIGTERM');
      exitCode = await service.exited;
    }
    expect({ exitCode, output: exitCode === 0 ? '' : service.output() }).toEqual({ exitCode: 0, output: '' });
    const messages = service
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toEqual(
      expect.arrayContaining(['Stop signal received: draining', 'Connections closed', 'Stopped']),
    );
    // Nothing went wrong on the way: no error line from a failed write or otherwise.
    expect(service.output()).not.toMatch(/EACCES|EROFS|EPERM/);
  });
});
