import { freePort } from '../../scripts/private-redis.mjs';
import { spawnCaptured } from './captured-process.js';
import { waitFor } from './wait-for.js';

/** The recipe the README gives, run as it is: only the addresses come from the environment. */
const HAPROXY_CONFIG = 'ops/haproxy/haproxy.cfg';

export interface HaproxyGateway {
  url: string;
  /** Each server's state as HAProxy's stats report it (`UP`, `DOWN`, `UP 1/2`, ...). */
  serverStates(): Promise<Record<string, string>>;
  waitUntilUp(servers: string[], timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** HAProxy (`haproxy -db`: in the foreground) in front of the given replicas, by `host:port`. */
export async function startHaproxy(replicas: [string, string]): Promise<HaproxyGateway> {
  const [gatewayPort, statsPort] = [await freePort(), await freePort()];
  const env = {
    PATH: process.env.PATH,
    GATEWAY_BIND: `127.0.0.1:${gatewayPort}`,
    STATS_BIND: `127.0.0.1:${statsPort}`,
    GROUPS_BFF_1: replicas[0],
    GROUPS_BFF_2: replicas[1],
  };
  const { child, output, exited, running } = spawnCaptured('haproxy', ['-db', '-f', HAPROXY_CONFIG], env);

  const serverStates = async (): Promise<Record<string, string>> => {
    const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
    const [header, ...rows] = csv.trim().split('\n');
    const columns = header.replace(/^# /, '').split(',');
    const [proxy, server, status] = ['pxname', 'svname', 'status'].map((name) => columns.indexOf(name));
    const states: Record<string, string> = {};
    for (const row of rows.map((line) => line.split(','))) {
      if (row[proxy] === 'groups_bff' && !['FRONTEND', 'BACKEND'].includes(row[server]))
        states[row[server]] = row[status];
    }
    return states;
  };
  const gateway: HaproxyGateway = {
    url: `http://127.0.0.1:${gatewayPort}`,
    serverStates,
    async waitUntilUp(servers, timeoutMs = 15_000) {
      await waitFor(
        async () => {
          if (!running()) throw new Error(`haproxy exited:\n${output()}`);
          const states: Record<string, string> = await serverStates().catch(() => ({}));
          return servers.every((server) => states[server] === 'UP');
        },
        timeoutMs,
        `HAProxy to report ${servers.join(', ')} UP`,
      );
    },
    async stop() {
      if (running()) child.kill('SIGTERM');
      await exited;
    },
  };
  return gateway;
}
