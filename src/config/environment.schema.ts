import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { LOG_LEVELS } from './app-config.js';

const inProduction = (env: EnvironmentVariables) => env.NODE_ENV === 'production';
const HOST_PORT = /^[\w.-]+:\d{1,5}$/;
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

/** Every environment variable the service reads, with its rules. Empty strings count as unset. */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @ValidateIf((env: EnvironmentVariables) => inProduction(env) || env.DEEPCALL_BASE_URL !== undefined)
  @IsDefined({ message: 'DEEPCALL_BASE_URL is required in production (the built-in sandbox is refused there)' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  DEEPCALL_BASE_URL?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(120_000)
  DEEPCALL_TIMEOUT_MS = 5000;

  /** One request, all its DeepCall calls included (reads, write, read-back, re-login, retries). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  REQUEST_DEADLINE_MS = 10000;

  /** Consecutive DeepCall faults (timeouts, 5xx, resets) that open the circuit. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  DEEPCALL_BREAKER_THRESHOLD = 5;

  /** How long an open circuit answers 503 before letting one trial call through. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DEEPCALL_BREAKER_COOLDOWN_MS = 5000;

  @IsOptional()
  @Matches(/^\/[\w\-./]*$/, { message: 'DEEPCALL_LOGIN_PATH must be a path starting with /' })
  DEEPCALL_LOGIN_PATH?: string;

  @Matches(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, {
    message: 'DEEPCALL_LOGIN_SSID_FIELD must be a field name or a dotted path (data.ssid)',
  })
  DEEPCALL_LOGIN_SSID_FIELD = 'ssid';

  @ValidateIf(
    (env: EnvironmentVariables) =>
      (inProduction(env) && !env.REDIS_SENTINELS && !env.REDIS_CLUSTER_NODES) || env.REDIS_URL !== undefined,
  )
  @IsDefined({
    message:
      'REDIS_URL (or REDIS_SENTINELS, or REDIS_CLUSTER_NODES) is required in production (the in-process store is refused there)',
  })
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Redis Sentinel instead of REDIS_URL: the sentinels as host:port,host:port. */
  @Transform(toList)
  @IsOptional()
  @Matches(HOST_PORT, { each: true, message: 'REDIS_SENTINELS must be a comma-separated list of host:port' })
  REDIS_SENTINELS?: string[];

  @Matches(/^[\w.-]+$/, { message: 'REDIS_SENTINEL_NAME must be a master name' })
  REDIS_SENTINEL_NAME = 'mymaster';

  /** Redis Cluster instead of REDIS_URL: some of its nodes as host:port,host:port. */
  @Transform(toList)
  @IsOptional()
  @Matches(HOST_PORT, { each: true, message: 'REDIS_CLUSTER_NODES must be a comma-separated list of host:port' })
  REDIS_CLUSTER_NODES?: string[];

  /** Credentials (also for a REDIS_URL without its own; the URL's win) and, below, TLS for Sentinel and Cluster. */
  @IsOptional()
  @IsString()
  REDIS_USERNAME?: string;

  @IsOptional()
  @IsString()
  REDIS_PASSWORD?: string;

  @IsIn(['true', 'false'])
  REDIS_TLS: 'true' | 'false' = 'false';

  @IsString()
  @MaxLength(64)
  REDIS_KEY_PREFIX = 'groups-bff:';

  @ValidateIf((env: EnvironmentVariables) => inProduction(env) || env.SESSION_SECRET !== undefined)
  @IsDefined({ message: 'SESSION_SECRET is required in production' })
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters' })
  SESSION_SECRET?: string;

  /** The secret before a rotation: still accepted for reading what was written under it. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET_PREVIOUS must be at least 32 characters' })
  SESSION_SECRET_PREVIOUS?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  SESSION_TTL_SECONDS = 1800;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  SESSION_MAX_AGE_SECONDS = 43200;

  /** Live sessions per account; a new one evicts the oldest. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  SESSION_MAX_PER_USER = 20;

  /** Rejected logins of one account within the window before its logins are refused (429). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  LOGIN_MAX_FAILURES = 5;

  /** The login-failure window, counted from the first failure (seconds). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  LOGIN_FAILURE_WINDOW_SECONDS = 900;

  /** Rejected logins from one client address, across accounts, within the same window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_MAX_FAILURES_PER_ADDRESS = 50;

  /** One user's upstream calls in flight at once, per replica; more wait in the user's queue. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  USER_MAX_CONCURRENT_CALLS = 8;

  /** One user's calls waiting for a slot, per replica; one more is refused (429). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  USER_MAX_QUEUED_CALLS = 64;

  /** The whole request (headers and body) must arrive within this (ms); else 408. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  @Transform(toList)
  @Matches(/^https?:\/\/[^\s/]+$/, {
    each: true,
    message: 'CORS_ORIGINS must be a comma-separated list of origins (https://host[:port])',
  })
  CORS_ORIGINS: string[] = [];

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(16)
  TRUST_PROXY?: number;

  /** The gateway's public URL of this service, listed as the server in the OpenAPI document. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_BASE_URL?: string;

  /** After SIGTERM: how long readiness fails before the server stops accepting (gateway catch-up). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(120_000)
  SHUTDOWN_DRAIN_DELAY_MS = 5000;

  /** After the drain delay: how long in-flight requests may take before the process exits anyway. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_MS = 25_000;

  /** Swagger UI and /docs-json; on by default, switch off with `false`. */
  @IsIn(['true', 'false'])
  DOCS_ENABLED: 'true' | 'false' = 'true';
}
