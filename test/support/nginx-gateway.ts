import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../scripts/private-redis.mjs';
import { spawnCaptured } from './captured-process.js';
import { waitFor } from './wait-for.js';

/** The recipe the README gives, with only its `${...}` addresses filled in (as envsubst would). */
const NGINX_TEMPLATE = 'ops/nginx/groups-bff.conf.template';

export interface NginxGateway {
  url: string;
  stop(): Promise<void>;
}

/** nginx in the foreground, in a directory of its own, including the recipe in its http block. */
export async function startNginx(replicas: [string, string]): Promise<NginxGateway> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'groups-bff-nginx-'));
  const values: Record<string, string> = {
    GATEWAY_LISTEN: `127.0.0.1:${port}`,
    GROUPS_BFF_1: replicas[0],
    GROUPS_BFF_2: replicas[1],
  };
  const recipe = (await readFile(resolve(NGINX_TEMPLATE), 'utf8')).replace(/\$\{(\w+)\}/g, (_match, name: string) => {
    if (!(name in values)) throw new Error(`${NGINX_TEMPLATE} uses \${${name}}, which the test does not set`);
    return values[name];
  });
  await writeFile(join(dir, 'groups-bff.conf'), recipe);
  await writeFile(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr error;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  include ${dir}/groups-bff.conf;
}
`,
  );
  const { child, output, exited, running } = spawnCaptured('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (!running()) throw new Error(`nginx exited:\n${output()}`);
      return fetch(`${url}/health/live`).then(
        (response) => response.ok,
        () => false,
      );
    },
    15_000,
    'nginx to answer',
  );
  return {
    url,
    async stop() {
      if (running()) child.kill('SIGQUIT');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
