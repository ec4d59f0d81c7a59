// The schema's decorators record metadata through it (emitDecoratorMetadata); server.ts loads it too.
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { AppConfig, HostPort } from './app-config.js';
import { EnvironmentVariables } from './environment.schema.js';

/** Start-up refused: every bad variable is named in one message. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment once. Throws ConfigError naming every problem. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const vars = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const problems = validateSync(vars).flatMap(describe);
  if ([vars.REDIS_URL, vars.REDIS_SENTINELS?.length, vars.REDIS_CLUSTER_NODES?.length].filter(Boolean).length > 1) {
    problems.push('REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES are alternatives: set one');
  }
  if (vars.SESSION_MAX_AGE_SECONDS < vars.SESSION_TTL_SECONDS) {
    problems.push('SESSION_MAX_AGE_SECONDS must not be less than SESSION_TTL_SECONDS');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    production: vars.NODE_ENV === 'production',
    port: vars.PORT,
    logLevel: vars.LOG_LEVEL,
    deepcall: {
      baseUrl: vars.DEEPCALL_BASE_URL?.replace(/\/+$/, ''),
      timeoutMs: vars.DEEPCALL_TIMEOUT_MS,
      requestDeadlineMs: vars.REQUEST_DEADLINE_MS,
      loginPath: vars.DEEPCALL_LOGIN_PATH,
      loginSsidField: vars.DEEPCALL_LOGIN_SSID_FIELD,
      breakerThreshold: vars.DEEPCALL_BREAKER_THRESHOLD,
      breakerCooldownMs: vars.DEEPCALL_BREAKER_COOLDOWN_MS,
    },
    redis: {
      url: vars.REDIS_URL,
      sentinels: vars.REDIS_SENTINELS?.length ? vars.REDIS_SENTINELS.map(toHostPort) : undefined,
      sentinelName: vars.REDIS_SENTINEL_NAME,
      clusterNodes: vars.REDIS_CLUSTER_NODES?.length ? vars.REDIS_CLUSTER_NODES.map(toHostPort) : undefined,
      username: vars.REDIS_USERNAME,
      password: vars.REDIS_PASSWORD,
      tls: vars.REDIS_TLS === 'true',
      keyPrefix: vars.REDIS_KEY_PREFIX,
    },
    session: {
      secret: vars.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
      secretGenerated: vars.SESSION_SECRET === undefined,
      previousSecret: vars.SESSION_SECRET_PREVIOUS,
      idleTtlSeconds: vars.SESSION_TTL_SECONDS,
      maxAgeSeconds: vars.SESSION_MAX_AGE_SECONDS,
      maxPerUser: vars.SESSION_MAX_PER_USER,
    },
    fairUse: {
      loginMaxFailures: vars.LOGIN_MAX_FAILURES,
      loginFailureWindowSeconds: vars.LOGIN_FAILURE_WINDOW_SECONDS,
      loginMaxFailuresPerAddress: vars.LOGIN_MAX_FAILURES_PER_ADDRESS,
      userMaxConcurrentCalls: vars.USER_MAX_CONCURRENT_CALLS,
      userMaxQueuedCalls: vars.USER_MAX_QUEUED_CALLS,
    },
    shutdown: { drainDelayMs: vars.SHUTDOWN_DRAIN_DELAY_MS, graceMs: vars.SHUTDOWN_GRACE_MS },
    http: {
      corsOrigins: vars.CORS_ORIGINS,
      trustProxyHops: vars.TRUST_PROXY,
      requestTimeoutMs: vars.HTTP_REQUEST_TIMEOUT_MS,
      docsEnabled: vars.DOCS_ENABLED === 'true',
      publicBaseUrl: vars.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    },
  };
}

function toHostPort(value: string): HostPort {
  const separator = value.lastIndexOf(':');
  return { host: value.slice(0, separator), port: Number(value.slice(separator + 1)) };
}

// What a value is comes before what it is worth: PORT=abc is "not an integer", not "too large".
const FIRST_SAID = ['isDefined', 'isInt', 'isNumber', 'isString', 'isUrl'];

// One message per variable, naming it, never its value: a bad value may be a secret.
function describe(error: ValidationError): string[] {
  const constraints = Object.entries(error.constraints ?? {});
  if (constraints.length === 0) return [];
  const [, message] = constraints.find(([name]) => FIRST_SAID.includes(name)) ?? constraints[0];
  return [message.startsWith(error.property) ? message : `${error.property}: ${message}`];
}
