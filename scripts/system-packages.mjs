// The system programs the test suite starts, and how `npm test` gets them on a fresh machine:
// as root with apt-get (Debian) it installs what is missing; elsewhere it says what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What the suite needs: the program looked for, and the Debian packages that provide it. */
export const SYSTEM_PACKAGES = [
  { program: 'redis-server', packages: ['redis-server'], why: 'Redis for the e2e tests' },
  { program: 'haproxy', packages: ['haproxy'], why: 'the gateway of the rolling-restart tests' },
  { program: 'nginx', packages: ['nginx'], why: 'the gateway without health checks of the rolling-restart tests' },
  // fonts-liberation: metric-compatible fonts for pages (recommends are not installed).
  { program: 'chromium', packages: ['chromium', 'fonts-liberation'], why: 'the browser tests' },
];

const onPath = (program) => spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;

function aptGet(args) {
  const result = spawnSync('apt-get', ['-q', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

/**
 * Installs the missing programs, or throws an error that says exactly what to install.
 * `TEST_REDIS_URL` set means Redis is provided from outside, so redis-server is not needed.
 */
export function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter(
    ({ program }) => !(program === 'redis-server' && process.env.TEST_REDIS_URL) && !onPath(program),
  );
  if (missing.length === 0) return;
  const packages = missing.flatMap((m) => m.packages);
  const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canApt) {
    const list = missing
      .map((m) => `  ${m.program} (${m.why}); Debian: apt-get install ${m.packages.join(' ')}`)
      .join('\n');
    throw new Error(
      `The test suite needs programs this machine lacks:\n${list}\n(Redis may instead be given as TEST_REDIS_URL=redis://host:port)`,
    );
  }
  console.log(`Installing ${packages.join(', ')} (apt-get)...`);
  aptGet(['update']);
  aptGet(['install', '-y', '--no-install-recommends', ...packages]);
}
