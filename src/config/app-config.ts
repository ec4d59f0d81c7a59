/** The validated, typed configuration. Built once from the environment by `loadConfig`. */
export interface AppConfig {
  readonly production: boolean;
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly deepcall: {
    /** Undefined outside production means "start the built-in sandbox". */
    readonly baseUrl: string | undefined;
    readonly timeoutMs: number;
    /** One request's budget for all its upstream calls. */
    readonly requestDeadlineMs: number;
    readonly loginPath: string | undefined;
    readonly loginSsidField: string;
    readonly breakerThreshold: number;
    readonly breakerCooldownMs: number;
  };
  /** No url, sentinels or cluster nodes (outside production only): the in-process store. */
  readonly redis: RedisSettings;
  readonly session: {
    readonly secret: string;
    /** True when no SESSION_SECRET was given and a random one was made for this process. */
    readonly secretGenerated: boolean;
    /** SESSION_SECRET_PREVIOUS: read, never written. */
    readonly previousSecret: string | undefined;
    readonly idleTtlSeconds: number;
    readonly maxAgeSeconds: number;
    readonly maxPerUser: number;
  };
  readonly fairUse: {
    readonly loginMaxFailures: number;
    readonly loginFailureWindowSeconds: number;
    readonly loginMaxFailuresPerAddress: number;
    readonly userMaxConcurrentCalls: number;
    readonly userMaxQueuedCalls: number;
  };
  readonly shutdown: {
    readonly drainDelayMs: number;
    readonly graceMs: number;
  };
  readonly http: {
    readonly corsOrigins: readonly string[];
    readonly trustProxyHops: number | undefined;
    /** The whole request must arrive within this; 408 otherwise. */
    readonly requestTimeoutMs: number;
    readonly docsEnabled: boolean;
    /** Listed as the server in the OpenAPI document; undefined: relative to where it is served. */
    readonly publicBaseUrl: string | undefined;
  };
}

export interface HostPort {
  host: string;
  port: number;
}

export interface RedisSettings {
  readonly url: string | undefined;
  readonly sentinels: readonly HostPort[] | undefined;
  readonly sentinelName: string;
  readonly clusterNodes: readonly HostPort[] | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly tls: boolean;
  readonly keyPrefix: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
