// `node bench/request-context.mjs`: what entering an AsyncLocalStorage context per request costs,
// as CPU time per request (robust on a shared machine, unlike throughput). A Fastify route whose
// handler awaits as deeply as the hot path does (guard, session read, upstream call, parsing) is
// served through `inject`, with and without the preHandler hook that src/app.setup.ts adds;
// interleaved rounds, medians. The context is read where the service reads it (each upstream
// call), so the comparison includes the propagation, not just the entry.
import { AsyncLocalStorage } from 'node:async_hooks';
import Fastify from 'fastify';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const REQUESTS = Number(process.env.REQUESTS ?? 20_000);
const DEPTH = 40; // awaits per request, about what the hot path's call tree makes

const storage = new AsyncLocalStorage();

async function chain(depth, read) {
  for (let step = 0; step < depth; step += 1) {
    await Promise.resolve(step);
    if (read && step % 10 === 0) storage.getStore()?.trace.push(step);
  }
}

function app(withContext) {
  const fastify = Fastify({ logger: false });
  if (withContext) {
    fastify.addHook('preHandler', (request, _reply, done) => storage.run({ requestId: request.id, trace: [] }, done));
  }
  fastify.get('/v1/groups', async () => {
    await chain(DEPTH, withContext);
    return { data: [] };
  });
  return fastify;
}

async function cpuPerRequest(fastify) {
  const started = process.cpuUsage();
  for (let index = 0; index < REQUESTS; index += 1) await fastify.inject({ method: 'GET', url: '/v1/groups' });
  const used = process.cpuUsage(started);
  return (used.user + used.system) / REQUESTS;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const apps = { explicit: app(false), als: app(true) };
for (const fastify of Object.values(apps)) await fastify.ready();
const samples = { explicit: [], als: [] };
await cpuPerRequest(apps.explicit); // warm-up
await cpuPerRequest(apps.als);
for (let round = 0; round < ROUNDS; round += 1) {
  const order = round % 2 === 0 ? ['explicit', 'als'] : ['als', 'explicit'];
  for (const name of order) samples[name].push(await cpuPerRequest(apps[name]));
}
const [base, withAls] = [median(samples.explicit), median(samples.als)];
const spread = (values) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
console.log(`node ${process.version}, ${ROUNDS} interleaved rounds × ${REQUESTS} requests, ${DEPTH} awaits each`);
console.log(`without context: ${base.toFixed(1)} µs CPU/request (rounds ${spread(samples.explicit)})`);
console.log(`with context:    ${withAls.toFixed(1)} µs CPU/request (rounds ${spread(samples.als)})`);
console.log(`cost of the context: ${(withAls - base).toFixed(1)} µs per request`);
