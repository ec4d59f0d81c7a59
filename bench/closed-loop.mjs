// Maximum throughput: autocannon (closed loop, N connections, fixed duration) in this process,
// which sits on the driver core. Also reads the CPU time the processes spent meanwhile, so the
// table can say whether the server core or the driver core was the limit.
import autocannon from 'autocannon';
import { assertLoopback } from './http.mjs';
import { cpuMicros, watchServerCore } from './processes.mjs';

/**
 * @param server  pid of the process under test (its CPU µs per request is reported)
 * @param helpers pids on the driver core besides us (sandbox, Redis)
 */
/**
 * `headerSets`: connection i sends headerSets[i % length] (one user per connection); else `headers`.
 * `amount`: stop after that many requests instead of after `seconds`.
 */
export async function closedLoop({
  url,
  method = 'GET',
  headers,
  headerSets,
  body,
  connections = 50,
  seconds,
  amount,
  server,
  helpers = [],
}) {
  assertLoopback(url);
  const core = watchServerCore(server);
  const before = {
    server: cpuMicros(server),
    helpers: helpers.map(cpuMicros),
    self: process.cpuUsage(),
    at: performance.now(),
  };
  let client = 0;
  const setupClient = headerSets ? (c) => c.setHeaders(headerSets[client++ % headerSets.length]) : undefined;
  const result = await autocannon({
    url,
    method,
    headers,
    body,
    connections,
    ...(amount === undefined ? { duration: seconds } : { amount }),
    timeout: 10,
    pipelining: 1,
    setupClient,
  });
  const wallUs = (performance.now() - before.at) * 1000;
  const selfCpu = process.cpuUsage(before.self);
  const helpersUs = helpers.reduce((sum, pid, i) => sum + (cpuMicros(pid) - before.helpers[i]), 0);
  const serverUs = cpuMicros(server) - before.server;
  const completed = result.requests.total;
  return {
    rps: result['2xx'] / result.duration,
    requests: completed,
    errors: result.errors + result.timeouts + result.non2xx,
    statusCounts: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    serverCpuUsPerRequest: serverUs / Math.max(1, completed),
    serverCoreBusy: serverUs / wallUs,
    neighbours: core().neighbours,
    driverCoreBusy: (selfCpu.user + selfCpu.system + helpersUs) / wallUs,
  };
}
