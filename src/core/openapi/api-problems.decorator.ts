import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../problem/problem-details.js';
import { PROBLEM_KINDS, ProblemKind, problemType } from '../problem/problem-kinds.js';
import { ProblemDto } from '../problem/problem.dto.js';

const EXAMPLE_DETAIL: Record<ProblemKind, string> = {
  validation: 'The request has 1 invalid field.',
  malformedRequest: 'The request could not be read: check the JSON body and headers.',
  upstreamRejectedInput: 'DeepCall rejected the parameters.',
  unauthorized: 'The session is unknown, expired or revoked. Create a new one with POST /v1/sessions.',
  forbidden: 'DeepCall denied permission for this operation.',
  notFound: 'The group does not exist or belongs to another account.',
  methodNotAllowed: 'This path does not serve this method; see the Allow header.',
  requestTimeout: 'The request did not arrive whole in time.',
  idempotencyInFlight: 'The first request with this Idempotency-Key has not finished yet; retry later.',
  payloadTooLarge: 'The request body exceeds the 16 KiB limit.',
  uriTooLong: 'The URL is longer than 2048 characters.',
  unsupportedMediaType: 'Send the body as application/json.',
  idempotencyKeyReused: 'This Idempotency-Key was used with a different body.',
  rateLimited: 'Too many failed logins for this account; retry after the indicated delay.',
  headersTooLarge: 'The request headers are too large.',
  internal: 'An unexpected error occurred. Quote the requestId when reporting it.',
  badGateway: 'DeepCall reported an internal failure.',
  unavailable: 'Sessions are temporarily unavailable. Retry shortly, or authenticate with Basic credentials.',
  gatewayTimeout: 'DeepCall did not answer within the deadline.',
};

const UPSTREAM_CODE_EXAMPLE: Partial<Record<ProblemKind, number>> = { notFound: 1503, forbidden: 1015, upstreamRejectedInput: 1000, badGateway: 1009 };

const HEADERS: Record<number, Record<string, { description: string; schema: { type: 'string' } }>> = {
  401: { 'WWW-Authenticate': { description: 'The accepted schemes: Bearer and Basic.', schema: { type: 'string' } } },
  405: { Allow: { description: 'The methods this path serves.', schema: { type: 'string' } } },
  429: {
    'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'string' } },
    'RateLimit-Policy': { description: 'The limit that refused the request (IETF RateLimit headers draft), when the service set it: e.g. `"login-account";q=5;w=900`.', schema: { type: 'string' } },
    RateLimit: { description: 'What is left of that limit and when it resets, in seconds: e.g. `"login-account";r=0;t=840`.', schema: { type: 'string' } },
  },
  503: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'string' } } },
};

function example(kind: ProblemKind, path: string) {
  const { status, title } = PROBLEM_KINDS[kind];
  return {
    type: problemType(kind),
    title,
    status,
    detail: EXAMPLE_DETAIL[kind],
    instance: path,
    requestId: '5f0c6a52-3c2e-4b8e-9a57-2b1f0a7f9c11',
    ...(kind === 'validation' && { errors: [{ field: 'name', message: 'name must be 1 to 100 characters after trimming' }] }),
    ...(UPSTREAM_CODE_EXAMPLE[kind] !== undefined && { upstreamCode: UPSTREAM_CODE_EXAMPLE[kind] }),
  };
}

/**
 * Documents the problem+json answers a route can give, one response per status with an
 * example of each kind of problem that shares it.
 */
export function ApiProblems(path: string, ...kinds: ProblemKind[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ProblemKind[]>();
  for (const kind of kinds) byStatus.set(PROBLEM_KINDS[kind].status, [...(byStatus.get(PROBLEM_KINDS[kind].status) ?? []), kind]);
  const responses = [...byStatus].map(([status, shared]) =>
    ApiResponse({
      status,
      description: shared.map((kind) => PROBLEM_KINDS[kind].title).join('; '),
      headers: HEADERS[status],
      content: {
        [PROBLEM_CONTENT_TYPE]: {
          schema: { $ref: getSchemaPath(ProblemDto) },
          examples: Object.fromEntries(shared.map((kind) => [kind, { summary: PROBLEM_KINDS[kind].title, value: example(kind, path) }])),
        },
      },
    }),
  );
  return applyDecorators(ApiExtraModels(ProblemDto), ...responses);
}
