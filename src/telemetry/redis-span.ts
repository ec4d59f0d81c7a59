import { type Attributes, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import type { Cluster, Redis } from 'ioredis';
import { startSpanWith, tracer } from './tracer.js';

/** The Redis a command goes to: what its span names as `server.*` and `db.namespace`. */
export type RedisTarget = Attributes;

/**
 * The address of a standalone Redis (from its URL). A Sentinel's master and a Cluster's node
 * are chosen per connection or per key, so their spans name no server rather than a wrong one.
 */
export function redisTargetOf(client: Redis | Cluster): RedisTarget {
  if (client.isCluster) return {};
  const { host, port, db, sentinels } = (client as Redis).options;
  if (sentinels) return { [ATTR_DB_NAMESPACE]: String(db ?? 0) };
  return {
    ...(host !== undefined && { [ATTR_SERVER_ADDRESS]: host }),
    ...(port !== undefined && { [ATTR_SERVER_PORT]: port }),
    [ATTR_DB_NAMESPACE]: String(db ?? 0),
  };
}

/**
 * Sends one Redis command (or one MULTI transaction) in a CLIENT span named by the command
 * (`GET`, `EVALSHA`), with the database conventions: never its arguments (keys and sealed
 * session records). The span is made here, where the caller's context is, not by ioredis's
 * own instrumentation: auto-pipelining sends the commands of a whole event-loop turn from the
 * context of the first, which would give every other request's commands the wrong parent.
 * Only inside a recorded span: a Redis span's ids never leave the process, so under a span that
 * is not recorded (its children are not either) or outside any (shutdown, probes) none is made.
 */
export function sendInRedisSpan<T>(command: string, target: RedisTarget, send: () => Promise<T>): Promise<T> {
  if (trace.getActiveSpan()?.isRecording() !== true) return send();
  const span = startSpanWith(tracer, command, { kind: SpanKind.CLIENT }, () => ({
    [ATTR_DB_SYSTEM_NAME]: 'redis',
    [ATTR_DB_OPERATION_NAME]: command,
    ...target,
  }));
  return send().then(
    (answer) => {
      span.end();
      return answer;
    },
    (error: unknown) => {
      failRedisSpan(span, error);
      throw error;
    },
  );
}

/**
 * A rejection that is no Error is an answer (a rate limiter's refusal). A Redis error reply
 * is named by its prefix (`WRONGTYPE`, `NOSCRIPT`), never its message; a lost connection by its code.
 */
function failRedisSpan(span: Span, error: unknown): void {
  if (error instanceof Error) {
    const reply = error.name === 'ReplyError' ? /^[A-Z]+/.exec(error.message)?.[0] : undefined;
    if (reply) span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, reply);
    span.setAttribute(ATTR_ERROR_TYPE, reply ?? (error as NodeJS.ErrnoException).code ?? error.name);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
