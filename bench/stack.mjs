// The processes under test and their world: a private Redis, the DeepCall sandbox (U), the
// service (B, `node dist/main.js`, production settings), the forwarder (F) and the minimal
// reference forwarder (R), each its own
// process; plus the users, groups and sessions the scenarios use, and a fidelity check that B
// and F read each other's session records and answer the same body.
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { freePort, startPrivateRedis } from '../scripts/private-redis.mjs';
import { startArguments } from '../scripts/start-command.mjs';
import { basic, call, callOk, waitReady } from './http.mjs';
import { Redis } from 'ioredis';
import { baseEnv, PINNING, ROOT, RUNTIME, spawnTracked, stopTracked, trackPid, untrackPid } from './processes.mjs';

export const HOT_GROUPS = 10;
/**
 * The hot path's users: one per load connection, each with its own Bearer session and groups.
 * Distinct users, so that no two requests in flight are identical reads of one user: the service
 * would share those upstream (read coalescing) and the forwarders cannot; the polling-dashboard
 * scenario measures that sharing on its own.
 */
export const HOT_USERS = 50;
const REFERENCE_PREFIX = 'bench-ref:';
export const BIG_GROUPS = 10_000;
const LOCAL = 'http://127.0.0.1';

/** `serviceRoot`: where dist/ lives (the repository, or a --ref build); the sandbox comes from there too. */
export async function startStack({
  service = true,
  forwarder = true,
  reference = forwarder,
  floor = false,
  serviceRoot,
} = {}) {
  const redis = await startPrivateRedis(); // inherits our core (the driver core)
  trackPid(redis.pid);
  const sandboxPort = await freePort();
  const sandbox = spawnTracked('U', RUNTIME.path, ['dist/sandbox/sandbox.main.js'], {
    env: baseEnv({ SANDBOX_PORT: String(sandboxPort), SANDBOX_HOST: '127.0.0.1' }),
    core: PINNING.driver,
    cwd: serviceRoot,
  });
  const sandboxUrl = `${LOCAL}:${sandboxPort}`;
  await waitReady(`${sandboxUrl}/__sandbox/stats`, { alive: sandbox.alive, why: sandbox.stderr });
  const stack = { redis, sandbox, sandboxUrl, serviceRoot, secret: randomBytes(32).toString('base64url'), servers: {} };
  stack.stop = () => stopStack(stack);
  if (service) stack.servers.B = await startService(stack);
  if (forwarder) stack.servers.F = await startForwarder(stack);
  if (reference) stack.servers.R = await startReference(stack);
  // F0 reads R's session records (writeReferenceSessions), so it runs only beside R.
  if (reference && floor) stack.servers.F0 = await startFloor(stack);
  return stack;
}

async function stopStack(stack) {
  await Promise.all(Object.values(stack.servers).map((server) => stopTracked(server.proc)));
  await stopTracked(stack.sandbox);
  await stack.redis.stop();
  untrackPid(stack.redis.pid);
}

/** Production configuration, as `node dist/main.js` reads it. */
export function serviceEnv(stack, port) {
  return baseEnv({
    NODE_ENV: 'production',
    PORT: String(port),
    REDIS_URL: stack.redis.url,
    DEEPCALL_BASE_URL: stack.sandboxUrl,
    SESSION_SECRET: stack.secret,
    LOG_LEVEL: 'info',
    // Creates run 32 at once for one user and the dashboard has 20 tabs of one user: the fair-use
    // default (8 per user) would refuse most of them, which is not what those scenarios measure.
    USER_MAX_CONCURRENT_CALLS: '64',
  });
}

/**
 * B on the server core. `launcher` is a command that runs node itself (valgrind and its options):
 * then node's own arguments follow it, and start-up gets `readyTimeoutMs`.
 */
export async function startService(stack, { nodeArgs = [], name = 'B', env = {}, launcher = [], readyTimeoutMs } = {}) {
  const port = await freePort();
  const since = performance.now();
  const [command, args] =
    launcher.length === 0
      ? [RUNTIME.path, startArguments(stack.serviceRoot)]
      : [launcher[0], [...launcher.slice(1), RUNTIME.path, ...nodeArgs, ...startArguments(stack.serviceRoot)]];
  const proc = spawnTracked(name, command, args, {
    env: { ...serviceEnv(stack, port), ...env },
    core: PINNING.server,
    nodeArgs,
    cwd: stack.serviceRoot,
  });
  const readyMs = await waitReady(`${LOCAL}:${port}/health/ready`, {
    since,
    alive: proc.alive,
    why: proc.stderr,
    timeoutMs: readyTimeoutMs,
  });
  return { name, proc, pid: proc.pid, url: `${LOCAL}:${port}`, readyMs };
}

export async function startForwarder(stack, { name = 'F' } = {}) {
  const port = await freePort();
  const since = performance.now();
  const proc = spawnTracked(name, RUNTIME.path, ['bench/forwarder.mjs'], {
    env: baseEnv({
      FORWARDER_PORT: String(port),
      REDIS_URL: stack.redis.url,
      DEEPCALL_BASE_URL: stack.sandboxUrl,
      SESSION_SECRET: stack.secret,
      LOG_LEVEL: 'info',
    }),
    core: PINNING.server,
  });
  const readyMs = await waitReady(`${LOCAL}:${port}/health/ready`, { since, alive: proc.alive, why: proc.stderr });
  return { name, proc, pid: proc.pid, url: `${LOCAL}:${port}`, readyMs };
}

/**
 * R (or F0, bench/nest-floor.mjs: the same work through Nest and @nestjs/axios, same records and
 * environment): ready once it answers a request without credentials (401); it has no health route.
 */
export async function startReference(
  stack,
  { name = 'R', script = 'bench/reference-forwarder.mjs', cwd, nodeArgs = [], env = {} } = {},
) {
  const port = await freePort();
  const since = performance.now();
  const proc = spawnTracked(name, RUNTIME.path, [script], {
    env: baseEnv({
      PORT: String(port),
      UPSTREAM: stack.sandboxUrl,
      REDIS_PORT: new URL(stack.redis.url).port,
      PREFIX: REFERENCE_PREFIX,
      SECRET: stack.secret,
      ...env,
    }),
    core: PINNING.server,
    cwd,
    nodeArgs,
  });
  const readyMs = await waitReady(`${LOCAL}:${port}/v1/groups`, {
    since,
    alive: proc.alive,
    why: proc.stderr,
    readyStatus: 401,
  });
  return { name, proc, pid: proc.pid, url: `${LOCAL}:${port}`, readyMs };
}

/** F0: R's work through Nest (bench/nest-floor.mjs), run from the service's root for its modules. */
export function startFloor(stack, options = {}) {
  return startReference(stack, {
    name: 'F0',
    ...options,
    script: join(ROOT, 'bench', 'nest-floor.mjs'),
    cwd: stack.serviceRoot,
  });
}

/** R's session records (its own format, see reference-forwarder.mjs) for the same session ids B issued. */
async function writeReferenceSessions(stack, users) {
  const encKey = createHmac('sha256', stack.secret).update('enc').digest();
  const redis = new Redis(stack.redis.url);
  try {
    for (const { userId, token, sessionId } of users) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const sealed = Buffer.concat([cipher.update(JSON.stringify({ userId, token }), 'utf8'), cipher.final()]);
      const key = `${REFERENCE_PREFIX}fs:${createHmac('sha256', stack.secret).update(sessionId).digest('hex')}`;
      await redis.set(key, Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64'));
    }
  } finally {
    await redis.quit();
  }
}

// --- the sandbox's control routes (/__sandbox/...) ---

export const addUser = (stack, userId, token) =>
  callOk(`${stack.sandboxUrl}/__sandbox/users`, { method: 'POST', json: { userId, token } });
export const seedGroups = (stack, userId, count, namePrefix = 'Group') =>
  callOk(`${stack.sandboxUrl}/__sandbox/groups/seed`, { method: 'POST', json: { userId, count, namePrefix } });
export const upstreamStats = async (stack) => (await callOk(`${stack.sandboxUrl}/__sandbox/stats`)).body;

/** Adds many users, a few at a time (bounded: one request per user, 16 in flight). */
export async function addUsers(stack, users) {
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const { userId, token } = users[next++];
      await addUser(stack, userId, token);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, users.length) }, worker));
}

/** A session issued by the service's own login route (POST /v1/sessions on B). */
export async function createSession(stack, userId, token) {
  const answer = await callOk(`${stack.servers.B.url}/v1/sessions`, { method: 'POST', json: { userId, token } }, [201]);
  return answer.body.sessionId;
}

/** The users, groups and sessions every scenario shares. */
export async function createFixtures(stack) {
  const hot = { userId: 'bench-hot', token: 'hot-token' };
  const big = { userId: 'bench-big', token: 'big-token' };
  await addUser(stack, hot.userId, hot.token);
  await addUser(stack, big.userId, big.token);
  await seedGroups(stack, hot.userId, HOT_GROUPS, 'Team');
  await seedGroups(stack, big.userId, BIG_GROUPS, 'Department');
  hot.sessionId = await createSession(stack, hot.userId, hot.token);
  big.sessionId = await createSession(stack, big.userId, big.token);
  const hotUsers = [hot];
  for (let i = 1; i < HOT_USERS; i += 1) {
    const user = { userId: `bench-hot-${i}`, token: `hot-token-${i}` };
    await addUser(stack, user.userId, user.token);
    await seedGroups(stack, user.userId, HOT_GROUPS, 'Team');
    user.sessionId = await createSession(stack, user.userId, user.token);
    hotUsers.push(user);
  }
  if (stack.servers.R) await writeReferenceSessions(stack, hotUsers);
  return { hot, big, hotUsers };
}

/**
 * Before anything is measured: B, F (and R, F0 when running) must give the same answer for the
 * same session; B and F must each accept the session records the other wrote (a cached Basic
 * login costs one upstream call, not two). Throws on any difference, so a fast-but-wrong F cannot win.
 */
export async function checkFidelity(stack, fixtures) {
  const { B, F, R, F0 } = stack.servers;
  const notes = [];
  const bearer = { authorization: `Bearer ${fixtures.hot.sessionId}` };
  const answers = await Promise.all(
    [B, F, R, F0].filter(Boolean).map(async (server) => ({
      server,
      answer: await callOk(`${server.url}/v1/groups`, { headers: bearer }),
    })),
  );
  const [b, f] = answers.map(({ answer }) => answer);
  for (const { server, answer } of answers.slice(1))
    if (!isDeepStrictEqual(b.body, answer.body))
      throw new Error(
        `B and ${server.name} answer differently:\nB ${JSON.stringify(b.body).slice(0, 400)}\n${server.name} ${JSON.stringify(answer.body).slice(0, 400)}`,
      );
  if (b.body.data.length !== HOT_GROUPS) throw new Error(`expected ${HOT_GROUPS} groups, got ${b.body.data.length}`);
  const r = answers.find(({ server }) => server === R)?.answer;
  if (r)
    notes.push(
      `R (reference forwarder): same list body as B; it sends ${Object.keys(r.headers).length} headers (no security headers)`,
    );
  if (F0) notes.push("F0 (the mandated stack's floor): same list body as B");
  const onlyB = Object.keys(b.headers).filter((h) => !(h in f.headers));
  const onlyF = Object.keys(f.headers).filter((h) => !(h in b.headers));
  if (onlyB.length || onlyF.length)
    notes.push(`response headers only on B: [${onlyB.join(', ')}], only on F: [${onlyF.join(', ')}]`);
  notes.push(
    `hot-path answer: ${JSON.stringify(b.body).length} bytes of JSON; B sends ${Object.keys(b.headers).length} headers, F ${Object.keys(f.headers).length}`,
  );

  for (const [first, second] of [
    [F, B],
    [B, F],
  ]) {
    const user = { userId: `fidelity-${first.name}`, token: `fidelity-token-${first.name}` };
    await addUser(stack, user.userId, user.token);
    const headers = { authorization: basic(user.userId, user.token) };
    await callOk(`${first.url}/v1/groups`, { headers });
    const before = await upstreamStats(stack);
    await callOk(`${second.url}/v1/groups`, { headers });
    const after = await upstreamStats(stack);
    const calls = after.requests.list - before.requests.list;
    if (calls !== 1)
      throw new Error(
        `${second.name} did not reuse the login record ${first.name} wrote (${calls} upstream calls instead of 1)`,
      );
  }

  // Creates go to a user of their own, so the hot user's list stays HOT_GROUPS long.
  await addUser(stack, 'fidelity-create', 'fidelity-create-token');
  const writer = { authorization: `Bearer ${await createSession(stack, 'fidelity-create', 'fidelity-create-token')}` };
  for (const server of [B, F]) {
    const answer = await callOk(
      `${server.url}/v1/groups`,
      { method: 'POST', headers: writer, json: { name: `fidelity ${server.name}` } },
      [201],
    );
    const g = answer.body;
    if (!(
      Number.isInteger(g.id) &&
      g.name === `fidelity ${server.name}` &&
      g.status === 'active' &&
      typeof g.createdAt === 'string' &&
      answer.headers.location === `/v1/groups/${g.id}`
    )) {
      throw new Error(`${server.name} create answered ${JSON.stringify(g)}`);
    }
  }
  const unauth = await Promise.all(
    [B, F].map((server) => call(`${server.url}/v1/groups`, { headers: { authorization: 'Bearer nope' } })),
  );
  if (unauth.some((answer) => answer.status !== 401)) throw new Error('a bad session was not a 401 on both');
  notes.push(
    'fidelity: same list body; B reads F-written login records and F reads B-written ones; create answers alike; 401 alike',
  );
  return notes;
}
