// The processes under test and their world: a private Redis, the DeepCall sandbox (U), the
// service (B, `node dist/main.js`, production settings) and the forwarder (F), each its own
// process; plus the users, groups and sessions the scenarios use, and a fidelity check that B
// and F read each other's session records and answer the same body.
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { freePort, startPrivateRedis } from '../scripts/private-redis.mjs';
import { basic, call, callOk, waitReady } from './http.mjs';
import { baseEnv, PINNING, spawnTracked, stopTracked, trackPid, untrackPid } from './processes.mjs';

export const HOT_GROUPS = 10;
export const BIG_GROUPS = 10_000;
const LOCAL = 'http://127.0.0.1';

/** `serviceRoot`: where dist/ lives (the repository, or a --ref build); the sandbox comes from there too. */
export async function startStack({ service = true, forwarder = true, serviceRoot } = {}) {
  const redis = await startPrivateRedis(); // inherits our core (the driver core)
  trackPid(redis.pid);
  const sandboxPort = await freePort();
  const sandbox = spawnTracked('U', process.execPath, ['dist/sandbox/sandbox.main.js'], {
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
  });
}

export async function startService(stack, { nodeArgs = [], name = 'B' } = {}) {
  const port = await freePort();
  const since = performance.now();
  const proc = spawnTracked(name, process.execPath, ['dist/main.js'], { env: serviceEnv(stack, port), core: PINNING.server, nodeArgs, cwd: stack.serviceRoot });
  const readyMs = await waitReady(`${LOCAL}:${port}/health/ready`, { since, alive: proc.alive, why: proc.stderr });
  return { name, proc, pid: proc.pid, url: `${LOCAL}:${port}`, readyMs };
}

export async function startForwarder(stack, { name = 'F' } = {}) {
  const port = await freePort();
  const since = performance.now();
  const proc = spawnTracked(name, process.execPath, ['bench/forwarder.mjs'], {
    env: baseEnv({ FORWARDER_PORT: String(port), REDIS_URL: stack.redis.url, DEEPCALL_BASE_URL: stack.sandboxUrl, SESSION_SECRET: stack.secret, LOG_LEVEL: 'info' }),
    core: PINNING.server,
  });
  const readyMs = await waitReady(`${LOCAL}:${port}/health/ready`, { since, alive: proc.alive, why: proc.stderr });
  return { name, proc, pid: proc.pid, url: `${LOCAL}:${port}`, readyMs };
}

// --- the sandbox's control routes (/__sandbox/...) ---

export const addUser = (stack, userId, token) => callOk(`${stack.sandboxUrl}/__sandbox/users`, { method: 'POST', json: { userId, token } });
export const seedGroups = (stack, userId, count, namePrefix = 'Group') => callOk(`${stack.sandboxUrl}/__sandbox/groups/seed`, { method: 'POST', json: { userId, count, namePrefix } });
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
  return { hot, big };
}

/**
 * Before anything is measured: B and F must give the same answer for the same session, and each
 * must accept the session records the other wrote (a cached Basic login costs one upstream call,
 * not two). Throws on any difference, so a fast-but-wrong F cannot win.
 */
export async function checkFidelity(stack, fixtures) {
  const { B, F } = stack.servers;
  const notes = [];
  const bearer = { authorization: `Bearer ${fixtures.hot.sessionId}` };
  const [b, f] = await Promise.all([callOk(`${B.url}/v1/groups`, { headers: bearer }), callOk(`${F.url}/v1/groups`, { headers: bearer })]);
  if (!isDeepStrictEqual(b.body, f.body)) throw new Error(`B and F answer differently:\nB ${JSON.stringify(b.body).slice(0, 400)}\nF ${JSON.stringify(f.body).slice(0, 400)}`);
  if (b.body.data.length !== HOT_GROUPS) throw new Error(`expected ${HOT_GROUPS} groups, got ${b.body.data.length}`);
  const onlyB = Object.keys(b.headers).filter((h) => !(h in f.headers));
  const onlyF = Object.keys(f.headers).filter((h) => !(h in b.headers));
  if (onlyB.length || onlyF.length) notes.push(`response headers only on B: [${onlyB.join(', ')}], only on F: [${onlyF.join(', ')}]`);
  notes.push(`hot-path answer: ${JSON.stringify(b.body).length} bytes of JSON; B sends ${Object.keys(b.headers).length} headers, F ${Object.keys(f.headers).length}`);

  for (const [first, second] of [[F, B], [B, F]]) {
    const user = { userId: `fidelity-${first.name}`, token: `fidelity-token-${first.name}` };
    await addUser(stack, user.userId, user.token);
    const headers = { authorization: basic(user.userId, user.token) };
    await callOk(`${first.url}/v1/groups`, { headers });
    const before = await upstreamStats(stack);
    await callOk(`${second.url}/v1/groups`, { headers });
    const after = await upstreamStats(stack);
    const calls = after.requests.list - before.requests.list;
    if (calls !== 1) throw new Error(`${second.name} did not reuse the login record ${first.name} wrote (${calls} upstream calls instead of 1)`);
  }

  // Creates go to a user of their own, so the hot user's list stays HOT_GROUPS long.
  await addUser(stack, 'fidelity-create', 'fidelity-create-token');
  const writer = { authorization: `Bearer ${await createSession(stack, 'fidelity-create', 'fidelity-create-token')}` };
  for (const server of [B, F]) {
    const answer = await callOk(`${server.url}/v1/groups`, { method: 'POST', headers: writer, json: { name: `fidelity ${server.name}` } }, [201]);
    const g = answer.body;
    if (!(Number.isInteger(g.id) && g.name === `fidelity ${server.name}` && g.status === 'active' && typeof g.createdAt === 'string' && answer.headers.location === `/v1/groups/${g.id}`)) {
      throw new Error(`${server.name} create answered ${JSON.stringify(g)}`);
    }
  }
  const unauth = await Promise.all([B, F].map((server) => call(`${server.url}/v1/groups`, { headers: { authorization: 'Bearer nope' } })));
  if (unauth.some((answer) => answer.status !== 401)) throw new Error('a bad session was not a 401 on both');
  notes.push('fidelity: same list body; B reads F-written login records and F reads B-written ones; create answers alike; 401 alike');
  return notes;
}
