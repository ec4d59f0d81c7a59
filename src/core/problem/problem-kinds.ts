/**
 * Every kind of problem the service answers with. `type` URIs are tag URIs (RFC 4151): stable
 * identifiers to branch on, not pages to fetch.
 */
export const PROBLEM_KINDS = {
  validation: { status: 400, title: 'Request validation failed' },
  malformedRequest: { status: 400, title: 'Malformed request' },
  upstreamRejectedInput: { status: 400, title: 'DeepCall rejected the request data' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  notFound: { status: 404, title: 'Not found' },
  methodNotAllowed: { status: 405, title: 'Method not allowed' },
  requestTimeout: { status: 408, title: 'Request not received in time' },
  idempotencyInFlight: { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  payloadTooLarge: { status: 413, title: 'Request body too large' },
  uriTooLong: { status: 414, title: 'URL too long' },
  unsupportedMediaType: { status: 415, title: 'Unsupported media type' },
  idempotencyKeyReused: { status: 422, title: 'Idempotency-Key reused with a different request body' },
  rateLimited: { status: 429, title: 'Too many requests' },
  headersTooLarge: { status: 431, title: 'Request headers too large' },
  internal: { status: 500, title: 'Internal server error' },
  badGateway: { status: 502, title: 'DeepCall failed' },
  unavailable: { status: 503, title: 'Service temporarily unavailable' },
  gatewayTimeout: { status: 504, title: 'DeepCall did not answer in time' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemKind = keyof typeof PROBLEM_KINDS;

const SLUGS: Record<ProblemKind, string> = {
  validation: 'validation-failed',
  malformedRequest: 'malformed-request',
  upstreamRejectedInput: 'upstream-rejected-input',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not-found',
  methodNotAllowed: 'method-not-allowed',
  requestTimeout: 'request-timeout',
  idempotencyInFlight: 'idempotency-key-in-flight',
  payloadTooLarge: 'payload-too-large',
  uriTooLong: 'uri-too-long',
  unsupportedMediaType: 'unsupported-media-type',
  idempotencyKeyReused: 'idempotency-key-reused',
  rateLimited: 'rate-limited',
  headersTooLarge: 'headers-too-large',
  internal: 'internal-error',
  badGateway: 'upstream-failed',
  unavailable: 'service-unavailable',
  gatewayTimeout: 'upstream-timeout',
};

export const problemType = (kind: ProblemKind): string => `tag:groups-bff,2026:problem:${SLUGS[kind]}`;

const FRAMEWORK_STATUS_KINDS: Record<number, ProblemKind> = {
  400: 'malformedRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  408: 'requestTimeout',
  413: 'payloadTooLarge',
  414: 'uriTooLong',
  415: 'unsupportedMediaType',
  429: 'rateLimited',
  431: 'headersTooLarge',
  503: 'unavailable',
};

/** The kind a bare HTTP status maps to, for errors raised by the framework rather than by us. */
export function kindForStatus(status: number): ProblemKind {
  return FRAMEWORK_STATUS_KINDS[status] ?? (status >= 500 ? 'internal' : 'malformedRequest');
}
