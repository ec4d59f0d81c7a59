// The hot path as each target sees it, and the interleaving of rounds (U F B, B F U, U F B, …):
// slow drift on a shared machine (other builds, noisy neighbours) hits every target alike, and
// reversing every other round keeps "always runs right after X" from favouring anyone.

/**
 * GET /v1/groups with warm Bearer sessions on B, F and R, one user per connection (`headerSets`,
 * see HOT_USERS); the same upstream list call on U.
 */
export function hotTargets(stack, fixtures) {
  const headerSets = hotHeaderSets(fixtures);
  const targets = {};
  targets.U = {
    origin: stack.sandboxUrl,
    path: '/api/v2/Group/list',
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ userId: fixtures.hot.userId, token: fixtures.hot.token, forward: false }),
    server: stack.sandbox.pid,
    helpers: [stack.redis.pid],
  };
  for (const server of Object.values(stack.servers)) {
    targets[server.name] = {
      origin: server.url,
      path: '/v1/groups',
      method: 'GET',
      headerSets,
      server: server.pid,
      helpers: [stack.sandbox.pid, stack.redis.pid],
    };
  }
  return targets;
}

/** One warm Bearer session per hot user: request i of a load sends set i % length (a user per connection). */
export function hotHeaderSets(fixtures) {
  return fixtures.hotUsers.map((user) => ({ authorization: `Bearer ${user.sessionId}` }));
}

/** Runs `measure(name, round)` for every round and target, interleaved; returns {name: [result…]}. */
export async function interleave(rounds, names, measure, log) {
  const results = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 1; round <= rounds; round += 1) {
    for (const name of round % 2 ? names : [...names].reverse()) {
      const result = await measure(name, round);
      results[name].push(result);
      log?.(`  round ${round}/${rounds} ${name}: ${result.summary ?? ''}`);
    }
  }
  return results;
}
