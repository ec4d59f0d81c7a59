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
  idempotencyInFlight: 'The first request with this Idempotency-Key has not finished yet; retry later.',
  payloadTooLarge: 'The request body exceeds the 16 KiB limit.',
  unsupportedMediaType: 'Send the body as application/json.',
  idempotencyKeyReused: 'This Idempotency-Key was used with a different body.',
  rateLimited: 'DeepCall is rate limiting this account; retry after the indicated delay.',
  internal: 'An unexpected error occurred. Quote the requestId when reporting it.',
  badGateway: 'DeepCall reported an internal failure.',
  unavailable: 'Sessions are temporarily unavailable. Retry shortly, or authenticate with Basic credentials.',
  gatewayTimeout: 'DeepCall did not answer within the deadline.',
};

const UPSTREAM_CODE_EXAMPLE: Partial<Record<ProblemKind, number>> = { notFound: 1503, forbidden: 1015, upstreamRejectedInput: 1000, badGateway: 1009 };

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
 * example of each kind of problem that shares it. Every route can fail unexpectedly: 500 is
 * always declared. Headers that go with a status (Retry-After…) are added by
 * declareResponseHeaders.
 */
export function ApiProblems(path: string, ...kinds: ProblemKind[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ProblemKind[]>();
  for (const kind of new Set<ProblemKind>([...kinds, 'internal'])) byStatus.set(PROBLEM_KINDS[kind].status, [...(byStatus.get(PROBLEM_KINDS[kind].status) ?? []), kind]);
  const responses = [...byStatus].map(([status, shared]) =>
    ApiResponse({
      status,
      description: shared.map((kind) => PROBLEM_KINDS[kind].title).join('; '),
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
