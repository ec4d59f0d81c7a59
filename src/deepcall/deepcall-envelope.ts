import type { DeepcallOperation } from './deepcall-codes.js';
import { UpstreamError } from './upstream.error.js';

export type SuccessEnvelope = Record<string, unknown> & { status: 'success' };

/**
 * Reads an upstream answer. The body's `status` field is trusted over the HTTP status: error
 * envelopes arrive under 200 as well as under 4xx/5xx.
 */
export function readEnvelope(
  operation: DeepcallOperation,
  httpStatus: number,
  rawBody: string,
  retryAfter: string | undefined,
): SuccessEnvelope {
  if (httpStatus === 429) {
    throw new UpstreamError('rate-limited', operation, { httpStatus, retryAfterSeconds: parseRetryAfter(retryAfter) });
  }
  const body = parseJsonObject(rawBody);
  if (body?.status === 'error') {
    const code = toCode(body.code);
    if (code === undefined) throw new UpstreamError('malformed', operation, { httpStatus });
    throw new UpstreamError('application', operation, { httpStatus, upstreamCode: code });
  }
  if (httpStatus < 200 || httpStatus > 299) throw new UpstreamError('http-status', operation, { httpStatus });
  if (body?.status !== 'success') throw new UpstreamError('malformed', operation, { httpStatus });
  return body as SuccessEnvelope;
}

function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function toCode(value: unknown): number | undefined {
  const code = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
}

/** Retry-After as whole seconds (delta-seconds or an HTTP date); at least 1. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number {
  if (value === undefined) return 1;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.max(1, Number(trimmed));
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? 1 : Math.max(1, Math.ceil((date - now) / 1000));
}
