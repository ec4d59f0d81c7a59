import { randomBytes, randomUUID } from 'node:crypto';
import { freePort, PrivateRedis, startPrivateRedis } from '../../scripts/private-redis.mjs';
import { ServiceProcess, spawnService } from './service-process.js';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';

/** Two replicas (real processes from dist) sharing one Redis of their own and one DeepCall, as behind a gateway. */
export interface ReplicaPair {
  redis: PrivateRedis;
  sandbox: RunningSandbox;
  /** Replaced in place when a replica is restarted (test/support/rolling-restart.ts). */
  replicas: ServiceProcess[];
  /** `127.0.0.1:port` of each replica, for the gateway's configuration. */
  addresses: [string, string];
  /** The environment replica `index` starts with, again after a restart. */
  envOf: (index: number) => Record<string, string>;
  /** Kills what still runs, then stops the sandbox and Redis. */
  stop(): Promise<void>;
}

/** `extraEnv`: settings of each replica's own, over the shared ones (e.g. a shorter deadline on one). */
export async function startReplicaPair(
  drainDelayMs: number,
  extraEnv: [Record<string, string>, Record<string, string>] = [{}, {}],
): Promise<ReplicaPair> {
  const [redis, sandbox] = await Promise.all([startPrivateRedis(), startSandbox()]);
  const env = {
    NODE_ENV: 'production',
    DEEPCALL_BASE_URL: sandbox.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: `gateway-${randomUUID()}:`,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    TRUST_PROXY: '1',
    SHUTDOWN_DRAIN_DELAY_MS: String(drainDelayMs),
    SHUTDOWN_GRACE_MS: '10000',
  };
  const ports: [number, number] = [await freePort(), await freePort()];
  const envOf = (index: number) => ({ ...env, ...extraEnv[index], PORT: String(ports[index]) });
  const replicas = await Promise.all(ports.map((_, index) => spawnService(envOf(index))));
  return {
    redis,
    sandbox,
    replicas,
    addresses: [`127.0.0.1:${ports[0]}`, `127.0.0.1:${ports[1]}`],
    envOf,
    async stop() {
      for (const replica of replicas) {
        if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill('SIGKILL');
        await replica.exited;
      }
      await sandbox.close();
      await redis.stop();
    },
  };
}
