// Keeps the container recipe (Dockerfile, .dockerignore, compose.yaml) and .env.example in step
// with package.json and the configuration schema, so they cannot drift apart unnoticed.
// Reads files only (no Docker needed); paths are relative to the repository root (process.cwd()).
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/config/load-config.js';
import { SETTLE_MS } from '../../src/lifecycle/graceful-shutdown.js';

const root = process.cwd();
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

interface PackageJson {
  scripts: Record<string, string>;
  engines?: { node?: string };
}
const pkg = JSON.parse(read('package.json')) as PackageJson;

// --- a small Dockerfile reader -------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Joins `\` continuations, drops comments, splits into stages at FROM. */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#')) continue; // comments (also inside continuations) and parser directives
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full) logical.push(full);
  }
  if (pending.trim()) logical.push(pending.trim());

  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/.exec(line)!;
    const keyword = match[1].toUpperCase();
    const args = match[2];
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`cannot read FROM ${args}`);
      stages.push({ image: from[1], name: from[2], instructions: [] });
    } else {
      if (stages.length === 0) {
        if (keyword === 'ARG') continue; // global ARGs before the first FROM
        throw new Error(`${keyword} before the first FROM`);
      }
      stages.at(-1)!.instructions.push({ keyword, args });
    }
  }
  return stages;
}

/** An instruction's command as words: the JSON (exec) form, or the shell form split on spaces. */
function commandWords(args: string): string[] {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as string[];
  return trimmed.split(/\s+/);
}

const dockerfile = read('Dockerfile');
const stages = parseDockerfile(dockerfile);
const runtime = stages.at(-1)!;
const all = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);
const last = (stage: Stage, keyword: string): Instruction | undefined => all(stage, keyword).at(-1);
const runs = (stage: Stage): string =>
  all(stage, 'RUN')
    .map((i) => i.args)
    .join('\n');
const stageNamed = (name: string): Stage | undefined => stages.find((s) => s.name === name);

/** COPY/ADD sources taken from the build context (not --from another stage). */
function contextSources(stage: Stage): string[] {
  return [...all(stage, 'COPY'), ...all(stage, 'ADD')]
    .filter((i) => !/--from=/.test(i.args))
    .flatMap((i) => {
      const words = commandWords(i.args).filter((word) => !word.startsWith('--'));
      return words.slice(0, -1); // the last word is the destination
    });
}

// --- configuration schema ------------------------------------------------------------------

const schema = read('src/config/environment.schema.ts');

/** Property names of `export class EnvironmentVariables { ... }`: `  NAME:`, `  NAME?:`, `  NAME = `. */
function environmentVariableNames(source: string): string[] {
  const start = source.indexOf('export class EnvironmentVariables');
  if (start < 0) throw new Error('class EnvironmentVariables not found');
  const body = source.slice(start, source.indexOf('\n}', start));
  return [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*)\??\s*[:=]/gm)].map((m) => m[1]);
}

/** `node:24-slim` -> 24; null when the tag names no major (latest, lts, ...). */
function nodeMajorOf(image: string): number | null {
  const match = /^(?:docker\.io\/)?(?:library\/)?node:(\d+)(?:[.-]|$)/.exec(image);
  return match ? Number(match[1]) : null;
}

/**
 * Whether some Node release of this major satisfies a semver range such as `>=20.19.0`,
 * `^22.12.0 || >=24`, `20.x`. Only the forms engines fields use; anything else throws,
 * so an unusual range fails the test loudly instead of passing silently.
 */
function majorCanSatisfy(major: number, range: string): boolean {
  return range.split('||').some((alternative) => {
    const comparators = alternative.trim().split(/\s+/).filter(Boolean);
    if (comparators.length === 0) return true; // '' or '*'
    return comparators.every((comparator) => {
      const match = /^(>=|<=|>|<|\^|~|=)?v?(\d+|\*|x)(?:\.(\d+|\*|x))?(?:\.(\d+|\*|x))?$/i.exec(comparator);
      if (!match) throw new Error(`unsupported engines.node comparator: ${comparator}`);
      const [, op = '=', majorText, minorText = '0', patchText = '0'] = match;
      if (majorText === '*' || majorText.toLowerCase() === 'x') return true;
      const wanted = Number(majorText);
      const aboveZero = Number(minorText) > 0 || Number(patchText) > 0;
      switch (op) {
        case '>=':
        case '>':
          return major >= wanted; // the same major qualifies with a later minor/patch
        case '<=':
          return major <= wanted;
        case '<':
          return major < wanted || (major === wanted && aboveZero);
        default: // ^, ~, = and bare versions stay within their major
          return major === wanted;
      }
    });
  });
}

// --- the tests -----------------------------------------------------------------------------

describe('Dockerfile', () => {
  it('is multi-stage, every stage on an official node image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(nodeMajorOf(stage.image)).not.toBeNull();
  });

  it("runs exactly package.json's start command", () => {
    const cmd = last(runtime, 'CMD');
    expect(cmd).toBeDefined();
    expect(cmd!.args.trim().startsWith('[')).toBe(true); // exec form: node is PID 1 and gets SIGTERM
    expect(commandWords(cmd!.args).join(' ')).toBe(pkg.scripts.start.trim());
    expect(last(runtime, 'ENTRYPOINT')).toBeUndefined();
  });

  it('builds with npm ci and npm run build, and package.json has a build script', () => {
    expect(pkg.scripts.build).toEqual(expect.any(String));
    const build = stages.find((stage) => /\bnpm run build\b/.test(runs(stage)));
    expect(build).toBeDefined();
    expect(runs(build!)).toMatch(/\bnpm ci\b/);
    // npm ci comes before the build in that stage.
    expect(runs(build!).search(/\bnpm ci\b/)).toBeLessThan(runs(build!).search(/\bnpm run build\b/));
    // the runtime stage takes dist/ from that stage
    expect(all(runtime, 'COPY').some((i) => i.args.includes(`--from=${build!.name}`) && /\bdist\b/.test(i.args))).toBe(
      true,
    );
  });

  it('copies into the build stage the tsconfig that nest build reads', () => {
    const nestCli = JSON.parse(read('nest-cli.json')) as { compilerOptions?: { tsConfigPath?: string } };
    const tsconfigPath = nestCli.compilerOptions?.tsConfigPath ?? 'tsconfig.build.json';
    const needed = [tsconfigPath, 'nest-cli.json', 'package-lock.json'];
    const extended = (JSON.parse(read(tsconfigPath)) as { extends?: string }).extends;
    if (extended) needed.push(extended.replace(/^\.\//, ''));
    const build = stages.find((stage) => /\bnpm run build\b/.test(runs(stage)))!;
    const copied = contextSources(build).map((source) => source.replace(/^\.\//, '').replace(/\/$/, ''));
    expect(copied).toEqual(expect.arrayContaining([...needed, 'src']));
  });

  it('copies only files that exist in the repository', () => {
    const sources = stages.flatMap(contextSources);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources)
      expect({ source, exists: existsSync(join(root, source)) }).toEqual({ source, exists: true });
  });

  it('ships production dependencies only', () => {
    expect(dockerfile).toMatch(/--omit=dev\b/);
    // runtime node_modules come from a stage that installed or pruned with --omit=dev
    const copy = all(runtime, 'COPY').find((i) => /node_modules/.test(i.args));
    expect(copy).toBeDefined();
    const from = /--from=(\S+)/.exec(copy!.args)?.[1];
    expect(from).toBeDefined();
    expect(runs(stageNamed(from!)!)).toMatch(/npm (ci|prune|install)\b[^\n]*--omit=dev/);
    // nothing dev-only gets in from the build context: no `COPY . .`, no src/test
    expect(contextSources(runtime).filter((source) => !/^(\.\/)?package(-lock)?\.json$/.test(source))).toEqual([]);
  });

  it('sets NODE_ENV=production in the runtime stage', () => {
    expect(
      all(runtime, 'ENV')
        .map((i) => i.args)
        .join(' '),
    ).toMatch(/\bNODE_ENV[= ]production\b/);
  });

  it('runs as a non-root user and group, by number (so an orchestrator can check it without /etc/passwd)', () => {
    const user = last(runtime, 'USER');
    expect(user).toBeDefined();
    const match = /^(\d+):(\d+)$/.exec(user!.args.trim());
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(0);
    expect(Number(match![2])).toBeGreaterThan(0);
  });

  it('installs the runtime dependencies with npm ci --omit=dev, and nothing runs npm at run time', () => {
    const copy = all(runtime, 'COPY').find((i) => /node_modules/.test(i.args))!;
    const deps = stageNamed(/--from=(\S+)/.exec(copy.args)![1])!;
    expect(runs(deps)).toMatch(/\bnpm ci\b[^\n]*--omit=dev\b/);
    expect(runs(deps)).not.toMatch(/\bnpm (install|i)\b/);
    // nothing in the runtime stage installs, builds or writes at run time
    expect(all(runtime, 'RUN')).toEqual([]);
    expect(commandWords(last(runtime, 'CMD')!.args)[0]).toBe('node');
  });

  it('has a HEALTHCHECK on /health/live that needs no curl or wget', () => {
    const healthcheck = last(runtime, 'HEALTHCHECK');
    expect(healthcheck).toBeDefined();
    expect(healthcheck!.args).toMatch(/\bCMD\b/);
    expect(healthcheck!.args).toContain('/health/live');
    expect(healthcheck!.args).toMatch(/\bnode\b.*fetch\(/);
    expect(healthcheck!.args).not.toMatch(/\b(curl|wget)\b/);
    // and the image installs neither
    expect(runs(runtime)).not.toMatch(/\b(apt-get|apk)\b/);
  });

  it('stops with SIGTERM', () => {
    expect(last(runtime, 'STOPSIGNAL')?.args.trim()).toBe('SIGTERM');
  });

  it("uses a Node major that package.json's engines.node accepts", () => {
    const range = pkg.engines?.node;
    expect(range).toEqual(expect.any(String));
    for (const stage of stages) {
      const major = nodeMajorOf(stage.image)!;
      expect({ image: stage.image, satisfies: majorCanSatisfy(major, range!) }).toEqual({
        image: stage.image,
        satisfies: true,
      });
    }
  });

  it('EXPOSEs the default PORT of the configuration schema', () => {
    const defaultPort = /^\s*PORT\s*(?::[^=]*)?=\s*(\d+)\s*;/m.exec(schema)?.[1];
    expect(defaultPort).toMatch(/^\d+$/);
    const exposed = all(runtime, 'EXPOSE').flatMap((i) =>
      i.args
        .trim()
        .split(/\s+/)
        .map((port) => port.replace(/\/tcp$/, '')),
    );
    expect(exposed).toEqual([defaultPort]);
    // the healthcheck falls back to the same port when PORT is unset
    expect(last(runtime, 'HEALTHCHECK')!.args).toMatch(new RegExp(`(\\|\\||:-)\\s*${defaultPort}\\b`));
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const excludes = (name: string): boolean => patterns.some((p) => p.replace(/^\/|\/$/g, '') === name);

  it('keeps node_modules, dist, .git and .env out of the build context', () => {
    for (const name of ['node_modules', 'dist', '.git', '.env'])
      expect({ name, excluded: excludes(name) }).toEqual({ name, excluded: true });
  });

  it('does not exclude anything the Dockerfile copies', () => {
    for (const source of stages.flatMap(contextSources)) {
      const name = source.replace(/^\.\//, '').replace(/\/$/, '');
      expect({ name, excluded: excludes(name) }).toEqual({ name, excluded: false });
    }
  });
});

/** OpenTelemetry's standard variables: read by its SDK (the packages' code) or by src/telemetry. */
function readByOpenTelemetry(name: string): boolean {
  if (!name.startsWith('OTEL_')) return false;
  const sources = [
    ...['sdk-node', 'core', 'otlp-exporter-base', 'resources'].flatMap((pkg) =>
      readdirSync(join(root, 'node_modules/@opentelemetry', pkg, 'dist'), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.mjs'))
        .map((file) => join('node_modules/@opentelemetry', pkg, 'dist', file)),
    ),
    ...readdirSync(join(root, 'src/telemetry')).map((file) => join('src/telemetry', file)),
  ];
  return sources.some((file) => read(file).includes(`'${name}'`) || read(file).includes(`"${name}"`));
}

describe('.env.example', () => {
  const example = read('.env.example');
  /** Variables shown as assignments, commented out or not: `# NAME=value` or `NAME=value`. */
  const assigned = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
  const schemaNames = environmentVariableNames(schema);

  it('the schema parser finds the variables (guards the test itself)', () => {
    expect(schemaNames).toEqual(expect.arrayContaining(['NODE_ENV', 'PORT', 'SESSION_SECRET', 'DOCS_ENABLED']));
    expect(new Set(schemaNames).size).toBe(schemaNames.length);
  });

  it('lists every variable of EnvironmentVariables', () => {
    expect(schemaNames.filter((name) => !assigned.has(name))).toEqual([]);
  });

  it('lists only variables something reads (the schema, the sandbox, the upstream check, compose.yaml)', () => {
    const sandboxMain = read('src/sandbox/sandbox.main.ts');
    const sandboxNames = [...sandboxMain.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]);
    expect(sandboxNames).toEqual(expect.arrayContaining(['SANDBOX_PORT', 'SANDBOX_HOST']));
    const composeNames = [...read('compose.yaml').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]);
    const checkNames = [...read('src/upstream-check/check-settings.ts').matchAll(/env\.([A-Z][A-Z0-9_]*)/g)].map(
      (m) => m[1],
    );
    expect(checkNames).toEqual(expect.arrayContaining(['DEEPCALL_CHECK_USER_ID', 'DEEPCALL_CHECK_TOKEN']));
    const known = new Set([...schemaNames, ...sandboxNames, ...checkNames, ...composeNames]);
    expect([...assigned].filter((name) => !known.has(name) && !readByOpenTelemetry(name))).toEqual([]);
  });

  it('sets nothing: copying it to .env changes no behaviour and holds no secret', () => {
    const active = example.split(/\r?\n/).filter((line) => /^\s*[A-Z][A-Z0-9_]*=/.test(line));
    expect(active).toEqual([]);
  });
});

interface ComposeService {
  image?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  stop_grace_period?: string;
  deploy?: { resources?: { limits?: { memory?: string; cpus?: string }; reservations?: { memory?: string } } };
  healthcheck?: { test: string[] };
  volumes?: string[];
  profiles?: string[];
  depends_on?: Record<string, unknown> | string[];
}

/** `384M`, `1G`, `512Mi` (compose byte values, binary units) in MiB. */
function mebibytes(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg])i?b?$/i.exec(value.trim());
  if (!match) throw new Error(`unsupported byte value: ${value}`);
  return Number(match[1]) * { k: 1 / 1024, m: 1, g: 1024 }[match[2].toLowerCase() as 'k' | 'm' | 'g'];
}

/** Compose durations as used here: `35s`, `1m30s`. */
function seconds(value: string): number {
  const match = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(value.trim());
  if (!match || (!match[1] && !match[2])) throw new Error(`unsupported duration: ${value}`);
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

describe('compose.yaml', () => {
  const compose = read('compose.yaml');
  const services = (parseYaml(compose) as { services: Record<string, ComposeService> }).services;
  const bff = services.bff;
  const redis = services.redis;

  it('requires SESSION_SECRET and DEEPCALL_BASE_URL instead of defaulting them', () => {
    expect(bff.environment?.SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?[^}]+\}$/);
    expect(bff.environment?.DEEPCALL_BASE_URL).toMatch(/^\$\{DEEPCALL_BASE_URL:\?[^}]+\}$/);
    expect(bff.environment?.NODE_ENV).toBe('production');
  });

  it('runs the service on a read-only root file system with a tmpfs /tmp only', () => {
    expect(bff.read_only).toBe(true);
    expect(bff.tmpfs?.map((mount) => mount.split(':')[0])).toEqual(['/tmp']);
    // no volume would give it a writable place either
    expect(bff.volumes).toBeUndefined();
  });

  it('drops every capability and forbids gaining privileges', () => {
    expect(bff.cap_drop).toEqual(['ALL']);
    expect(bff.security_opt).toContain('no-new-privileges:true');
  });

  it('limits memory and CPU to the measured footprint (bench/README.md: ~200-250 MB RSS after load)', () => {
    const limits = bff.deploy?.resources?.limits;
    const memory = mebibytes(limits?.memory ?? '0');
    // room above the loaded RSS for a burst of large answers, and not a host's worth
    expect(memory).toBeGreaterThanOrEqual(320);
    expect(memory).toBeLessThanOrEqual(1024);
    expect(mebibytes(bff.deploy?.resources?.reservations?.memory ?? '0')).toBeLessThanOrEqual(memory);
    expect(Number(limits?.cpus)).toBeGreaterThanOrEqual(0.5);
  });

  it('checks health on /health/ready with node alone, on the port the service listens on', () => {
    const test = bff.healthcheck?.test ?? [];
    expect(test[0]).toBe('CMD');
    expect(test.slice(1, 3)).toEqual(['node', '-e']);
    expect(test.join(' ')).toContain('127.0.0.1:3000/health/ready');
    expect(test.join(' ')).not.toMatch(/\b(curl|wget)\b/);
    expect(bff.ports).toEqual([expect.stringMatching(/:3000$/)]);
  });

  it('gives the service longer to stop than its drain, grace and settle take', () => {
    const { drainDelayMs, graceMs } = loadConfig({}).shutdown;
    expect(seconds(bff.stop_grace_period ?? '10s') * 1000).toBeGreaterThan(drainDelayMs + graceMs + SETTLE_MS);
  });

  it('runs Redis with append-only persistence on a volume, so Idempotency-Keys and sessions survive a restart', () => {
    const command = (redis.command ?? []).join(' ');
    expect(command).toMatch(/\bredis-server\b/);
    expect(command).toMatch(/--appendonly yes\b/);
    expect(redis.volumes).toContain('redis-data:/data');
  });

  it('protects Redis with a password from the uncommitted redis.env, and publishes no Redis port', () => {
    const command = (redis.command ?? []).join(' ');
    // $$ is compose's escape: the shell in the container expands it, refusing an empty one
    expect(command).toMatch(/--requirepass "\$\$\{REDIS_PASSWORD:\?[^}]+\}"/);
    expect(redis.env_file).toEqual(['redis.env']);
    expect(bff.env_file).toEqual(['redis.env']);
    // the password reaches the service through REDIS_PASSWORD, not the URL
    expect(bff.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(redis.healthcheck?.test.join(' ')).toMatch(/REDISCLI_AUTH="\$\$REDIS_PASSWORD" redis-cli ping/);
    expect(redis.ports).toBeUndefined();
    expect(redis.security_opt).toContain('no-new-privileges:true');
  });

  it('commits redis.env.example (setting no password) and ignores redis.env, in git and the build context', () => {
    const example = read('redis.env.example');
    expect(example).toMatch(/^REDIS_PASSWORD=$/m);
    expect(example).toContain('cp redis.env.example redis.env');
    const lines = (path: string) =>
      read(path)
        .split(/\r?\n/)
        .map((line) => line.trim());
    expect(lines('.gitignore')).toContain('redis.env');
    expect(lines('.dockerignore')).toContain('redis.env');
  });

  it("runs the sandbox with package.json's sandbox command", () => {
    expect(services.sandbox.command?.join(' ')).toBe(pkg.scripts.sandbox.trim());
  });

  describe('the optional OpenTelemetry Collector (profile "tracing")', () => {
    const collector = services['otel-collector'];
    const [hostPath, containerPath, mode] = (collector.volumes ?? [])[0]?.split(':') ?? [];
    interface CollectorConfig {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      service: { extensions?: string[]; pipelines: Record<string, Record<string, string[]>> };
      [section: string]: unknown;
    }
    const config = parseYaml(read(hostPath.replace(/^\.\//, ''))) as CollectorConfig;

    it('is started only with --profile tracing, and nothing started by default needs it', () => {
      expect(collector.profiles).toEqual(['tracing']);
      for (const [name, service] of Object.entries(services).filter(([, service]) => !service.profiles)) {
        const needs = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
        expect({ name, needs }).toEqual({ name, needs: expect.not.arrayContaining(['otel-collector']) });
      }
    });

    it('runs a pinned otel/opentelemetry-collector-contrib with the committed config, read-only', () => {
      expect(collector.image).toMatch(/^otel\/opentelemetry-collector-contrib:\d+\.\d+\.\d+$/);
      expect(hostPath).toBe('./ops/otel-collector/config.yaml');
      expect(mode).toBe('ro');
      expect(collector.command).toEqual([`--config=${containerPath}`]);
      expect(collector.read_only).toBe(true);
      expect(collector.cap_drop).toEqual(['ALL']);
      expect(collector.ports).toBeUndefined();
    });

    it('receives OTLP/HTTP on 4318 of every interface, and its trace pipeline is wired to defined components', () => {
      expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
      const traces = config.service.pipelines.traces;
      expect(traces.receivers).toContain('otlp');
      expect(traces.exporters).toContain('debug');
      for (const [pipeline, kinds] of Object.entries(config.service.pipelines))
        for (const [kind, names] of Object.entries(kinds))
          for (const name of names)
            expect({ pipeline, kind, name, defined: name in ((config[kind] as object) ?? {}) }).toEqual({
              pipeline,
              kind,
              name,
              defined: true,
            });
      for (const name of config.service.extensions ?? []) expect(Object.keys(config.extensions ?? {})).toContain(name);
    });

    it('is where the service exports when OTEL_EXPORTER_OTLP_ENDPOINT says so, and nowhere by default', () => {
      // Empty (the default) means unset to OpenTelemetry: no export.
      expect(bff.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('${OTEL_EXPORTER_OTLP_ENDPOINT:-}');
      const documented = 'OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318';
      expect(compose).toContain(documented);
      expect(read('.env.example')).toContain(`# ${documented}`);
      expect(read('docs/observability.md')).toContain('docker compose --profile tracing up');
    });
  });
});
