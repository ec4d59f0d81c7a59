// Keeps the Kubernetes example (deploy/kubernetes) valid and in step with the rest: each object
// against the Kubernetes API schemas (kubernetes-models' validate(), the OpenAPI schemas of the
// API compiled to validators), then the fields that matter checked against the Dockerfile,
// compose.yaml, the health routes and the service's own configuration and shutdown timings.
// Reads files only; paths are relative to the repository root (process.cwd()).
import { describe, expect, it } from '@jest/globals';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IService } from 'kubernetes-models/v1/Service';
import { Service } from 'kubernetes-models/v1/Service';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/load-config.js';
import { SETTLE_MS } from '../../src/lifecycle/graceful-shutdown.js';

const DIR = 'deploy/kubernetes';
const read = (path: string): string => readFileSync(path, 'utf8');

interface Manifest {
  file: string;
  object: { apiVersion: string; kind: string; [field: string]: unknown };
}

const files = readdirSync(DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const manifests: Manifest[] = files
  .filter((name) => name !== 'kustomization.yaml')
  .flatMap((file) =>
    parseAllDocuments(read(join(DIR, file))).map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.join('; ')}`);
      return { file, object: document.toJS() as Manifest['object'] };
    }),
  );

/** The models of the kinds the example uses; a kind without one fails the validity test. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};
const validate = (object: Manifest['object']): void => {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object as never).validate();
};

const only = <T>(kind: string): T => {
  const found = manifests.filter((manifest) => manifest.object.kind === kind);
  expect(found).toHaveLength(1);
  return found[0].object as T;
};
const deployment = only<IDeployment>('Deployment');
const service = only<IService>('Service');
const budget = only<IPodDisruptionBudget>('PodDisruptionBudget');
const pod = deployment.spec!.template.spec!;
const container = pod.containers.find((c) => c.name === 'groups-bff')!;
const env = Object.fromEntries((container.env ?? []).map((variable) => [variable.name, variable]));

/** Kubernetes quantities as used here: `384Mi`, `1Gi`, `512M` in MiB; `250m`, `1` CPUs. */
function mebibytes(quantity: string | number | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/.exec(String(quantity));
  if (!match) throw new Error(`unsupported memory quantity: ${quantity}`);
  const unit = { Ki: 1 / 1024, Mi: 1, Gi: 1024, k: 1000 / 1024 ** 2, M: 1e6 / 1024 ** 2, G: 1e9 / 1024 ** 2 };
  return Number(match[1]) * (match[2] ? unit[match[2] as keyof typeof unit] : 1 / 1024 ** 2);
}
function cpus(quantity: string | number | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(m)?$/.exec(String(quantity));
  if (!match) throw new Error(`unsupported CPU quantity: ${quantity}`);
  return Number(match[1]) / (match[2] ? 1000 : 1);
}

/** The runtime stage's `USER uid:gid` of the Dockerfile. */
function imageUser(): { uid: number; gid: number } {
  const users = [...read('Dockerfile').matchAll(/^USER\s+(\d+):(\d+)\s*$/gm)];
  expect(users.length).toBeGreaterThan(0);
  const [, uid, gid] = users.at(-1)!;
  return { uid: Number(uid), gid: Number(gid) };
}

/** GET routes of the health controller: `/health/live`, ... */
function healthRoutes(): string[] {
  const source = read('src/health/health.controller.ts');
  const base = /@Controller\('([^']+)'\)/.exec(source)![1];
  return [...source.matchAll(/@Get\('([^']+)'\)/g)].map((m) => `/${base}/${m[1]}`);
}

describe('deploy/kubernetes', () => {
  it('parses into the Deployment, Service and PodDisruptionBudget, all listed in kustomization.yaml', () => {
    expect(manifests.map((m) => m.object.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'Service']);
    const kustomization = parseYaml(read(join(DIR, 'kustomization.yaml'))) as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(files.filter((name) => name !== 'kustomization.yaml'));
  });

  it('is valid against the Kubernetes API schemas', () => {
    for (const { file, object } of manifests) {
      let error = '';
      try {
        validate(object);
      } catch (thrown) {
        error = (thrown as Error).message;
      }
      expect({ file, kind: object.kind, error }).toEqual({ file, kind: object.kind, error: '' });
    }
  });

  it('the schema check catches a broken manifest (guards the test itself)', () => {
    const broken = structuredClone(deployment);
    broken.spec!.template.spec!.containers[0].lifecycle = { preStop: { sleep: { seconds: 'five' as never } } };
    expect(() => validate(broken as never)).toThrow(/seconds must be integer/);
    const missing = structuredClone(service);
    missing.spec!.ports = [{ name: 'http' } as never];
    expect(() => validate(missing as never)).toThrow(/port/);
  });

  it('selects its own pods from the Deployment, the Service and the budget', () => {
    const labels = deployment.spec!.template.metadata!.labels!;
    expect(labels).toMatchObject(deployment.spec!.selector.matchLabels!);
    expect(labels).toMatchObject(service.spec!.selector!);
    expect(labels).toMatchObject(budget.spec!.selector!.matchLabels!);
  });

  it('runs as the image user, non-root, on a read-only root with no capabilities, no escalation, RuntimeDefault seccomp', () => {
    const { uid, gid } = imageUser();
    for (const context of [pod.securityContext!, container.securityContext!]) {
      expect(context).toMatchObject({ runAsNonRoot: true, runAsUser: uid, runAsGroup: gid });
      expect(context.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    }
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.securityContext!.capabilities!.add).toBeUndefined();
    expect(container.securityContext!.privileged).not.toBe(true);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('has one writable place, an emptyDir on /tmp (as compose has a tmpfs there)', () => {
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    const volume = pod.volumes!.find((v) => v.name === 'tmp')!;
    expect(volume.emptyDir).toBeDefined();
    expect(pod.volumes).toHaveLength(1);
  });

  it('probes the health routes the service has: startup and liveness on /health/live, readiness on /health/ready', () => {
    const routes = healthRoutes();
    expect(routes).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
    const port = container.ports!.find((p) => p.name === 'http')!;
    expect(port.containerPort).toBe(loadConfig({}).port);
    expect(env.PORT.value).toBe(String(port.containerPort));
    const probes = {
      startup: container.startupProbe,
      readiness: container.readinessProbe,
      liveness: container.livenessProbe,
    };
    expect(probes.startup?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(probes.readiness?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(probes.liveness?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    // liveness never acts before start-up has had its time
    expect((probes.startup!.periodSeconds ?? 10) * (probes.startup!.failureThreshold ?? 3)).toBeGreaterThanOrEqual(10);
    expect(service.spec!.ports![0].targetPort).toBe('http');
  });

  it('drains at least as long as the service does by default, and gives it time to stop before SIGKILL', () => {
    const defaults = loadConfig({}).shutdown;
    const preStopMs = (container.lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
    const drainDelayMs = Number(env.SHUTDOWN_DRAIN_DELAY_MS?.value ?? defaults.drainDelayMs);
    const graceMs = Number(env.SHUTDOWN_GRACE_MS?.value ?? defaults.graceMs);
    expect(preStopMs + drainDelayMs).toBeGreaterThanOrEqual(defaults.drainDelayMs);
    // one drain, not two in a row: a preStop sleep replaces the service's drain delay
    if (preStopMs > 0) expect(drainDelayMs).toBe(0);
    expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(preStopMs + drainDelayMs + graceMs + SETTLE_MS);
  });

  it("gives the service a configuration its own schema accepts, secrets from a Secret and Redis's password apart from the URL", () => {
    for (const name of ['SESSION_SECRET', 'REDIS_PASSWORD']) {
      expect(env[name].value).toBeUndefined();
      expect(env[name].valueFrom?.secretKeyRef).toMatchObject({ name: 'groups-bff', key: name });
    }
    const url = new URL(String(env.REDIS_URL.value));
    expect({ username: url.username, password: url.password }).toEqual({ username: '', password: '' });
    const values = Object.fromEntries(
      Object.entries(env).map(([name, variable]) => [name, variable.value ?? `${name.toLowerCase()}-`.repeat(8)]),
    );
    const config = loadConfig(values);
    expect(config.production).toBe(true);
    expect(config.redis).toMatchObject({ url: env.REDIS_URL.value, password: values.REDIS_PASSWORD });
  });

  it('requests and limits resources from the bench figures, with the memory limit of compose.yaml', () => {
    const { requests, limits } = container.resources!;
    const compose = parseYaml(read('compose.yaml')) as {
      services: { bff: { deploy: { resources: { limits: { memory: string } } } } };
    };
    // compose's M is MiB, as Kubernetes' Mi
    expect(`${mebibytes(limits!.memory)}M`).toBe(compose.services.bff.deploy.resources.limits.memory);
    // above the ~250 MB RSS after load, and requests within the limits
    expect(mebibytes(limits!.memory)).toBeGreaterThanOrEqual(320);
    expect(mebibytes(requests!.memory)).toBeLessThanOrEqual(mebibytes(limits!.memory));
    expect(mebibytes(requests!.memory)).toBeGreaterThanOrEqual(150); // the idle RSS
    expect(cpus(requests!.cpu)).toBeLessThanOrEqual(cpus(limits!.cpu));
    expect(cpus(limits!.cpu)).toBeGreaterThanOrEqual(0.5);
  });

  it('caps the old generation at 60 % of the memory limit in NODE_OPTIONS, as compose.yaml does', () => {
    const compose = parseYaml(read('compose.yaml')) as {
      services: { bff: { environment: Record<string, string> } };
    };
    const nodeOptions = container.env!.find((variable) => variable.name === 'NODE_OPTIONS')?.value;
    expect(nodeOptions).toBe(compose.services.bff.environment.NODE_OPTIONS);
    const cap = Number(/--max-old-space-size=(\d+)/.exec(nodeOptions ?? '')?.[1]);
    expect(cap / mebibytes(container.resources!.limits!.memory)).toBeCloseTo(0.6, 1);
  });

  it('keeps a replica serving through rollouts and voluntary disruptions', () => {
    const replicas = deployment.spec!.replicas!;
    expect(replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec!.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    const { maxUnavailable, minAvailable } = budget.spec!;
    if (maxUnavailable !== undefined) expect(Number(maxUnavailable)).toBeLessThan(replicas);
    else expect(Number(minAvailable)).toBeGreaterThanOrEqual(1);
  });
});
