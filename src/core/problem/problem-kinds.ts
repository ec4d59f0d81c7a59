interface KindInfo {
  status: number;
  /** The same for every occurrence of the kind. */
  title: string;
  /** The usual `detail`: what a problem of this kind says unless it has something more precise. */
  detail: string;
}

/**
 * Every kind of problem the service answers with: the one table the answers (ProblemError) and
 * the OpenAPI examples (api-problems.decorator.ts) both read. `type` URIs are tag URIs
 * (RFC 4151): stable identifiers to branch on, not pages to fetch.
 */
export const PROBLEM_KINDS = {
  validation: {
    status: 400,
    title: 'Request validation failed',
    detail: 'The request has 1 invalid field.',
  },
  malformedRequest: {
    status: 400,
    title: 'Malformed request',
    detail: 'The request could not be read: check the JSON body and headers.',
  },
  upstreamRejectedInput: {
    status: 400,
    title: 'DeepCall rejected the request data',
    detail: 'DeepCall rejected the parameters.',
  },
  unauthorized: {
    status: 401,
    title: 'Authentication required',
    detail: 'The session is unknown, expired or revoked. Create a new one with POST /v1/sessions.',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    detail: 'DeepCall denied permission for this operation.',
  },
  notFound: {
    status: 404,
    title: 'Not found',
    detail: 'The group does not exist or belongs to another account.',
  },
  methodNotAllowed: {
    status: 405,
    title: 'Method not allowed',
    detail: 'This path does not serve this method; see the Allow header.',
  },
  requestTimeout: {
    status: 408,
    title: 'Request not received in time',
    detail: 'The request did not arrive whole in time.',
  },
  idempotencyInFlight: {
    status: 409,
    title: 'A request with this Idempotency-Key is still in progress',
    detail: 'The first request with this Idempotency-Key has not finished yet; retry later.',
  },
  idempotencyOutcomeUnknown: {
    status: 409,
    title: 'The outcome of an earlier request with this Idempotency-Key cannot be told',
    detail:
      'An earlier request with this Idempotency-Key may have created the group, but another group of the same name ' +
      'appeared at the same time, so it cannot be told which is yours. Nothing more was created: list the groups ' +
      'to check, then use a new key if one is missing.',
  },
  preconditionFailed: {
    status: 412,
    title: 'The group has changed since you read it',
    detail:
      'The group has changed since it was read (If-Match does not match its current ETag): nothing was written. Read it again and retry.',
  },
  payloadTooLarge: {
    status: 413,
    title: 'Request body too large',
    detail: 'The request body exceeds the 16 KiB limit.',
  },
  uriTooLong: {
    status: 414,
    title: 'URL too long',
    detail: 'The URL is longer than 2048 characters.',
  },
  unsupportedMediaType: {
    status: 415,
    title: 'Unsupported media type',
    detail: 'Send the body as application/json.',
  },
  idempotencyKeyReused: {
    status: 422,
    title: 'Idempotency-Key reused with a different request body',
    detail: 'This Idempotency-Key was used with a different body. Use a new key for a new request.',
  },
  rateLimited: {
    status: 429,
    title: 'Too many requests',
    detail: 'DeepCall is rate limiting this account; retry after the indicated delay.',
  },
  headersTooLarge: {
    status: 431,
    title: 'Request headers too large',
    detail: 'The request headers are too large.',
  },
  internal: {
    status: 500,
    title: 'Internal server error',
    detail: 'An unexpected error occurred. Quote the requestId when reporting it.',
  },
  badGateway: {
    status: 502,
    title: 'DeepCall failed',
    detail: 'DeepCall reported an internal failure.',
  },
  unavailable: {
    status: 503,
    title: 'Service temporarily unavailable',
    detail: 'Sessions are temporarily unavailable. Retry shortly, or authenticate with Basic credentials.',
  },
  gatewayTimeout: {
    status: 504,
    title: 'DeepCall did not answer in time',
    detail: 'DeepCall did not answer within the deadline.',
  },
} as const satisfies Record<string, KindInfo>;

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
  idempotencyOutcomeUnknown: 'idempotency-outcome-unknown',
  preconditionFailed: 'precondition-failed',
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
