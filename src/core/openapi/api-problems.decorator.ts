import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../problem/problem-details.js';
import { PROBLEM_KINDS, ProblemKind, problemType } from '../problem/problem-kinds.js';
import { ProblemDto } from '../problem/problem.dto.js';
import { DeepcallCode, GroupCode } from '../../deepcall/deepcall-codes.js';

// The DeepCall code behind each example's detail (problem-kinds.ts).
const UPSTREAM_CODE_EXAMPLE: Partial<Record<ProblemKind, number>> = {
  notFound: GroupCode.notFound,
  forbidden: DeepcallCode.permissionDenied,
  upstreamRejectedInput: DeepcallCode.invalidParameters,
  badGateway: DeepcallCode.somethingWentWrong,
};

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
  const { status, title, detail } = PROBLEM_KINDS[kind];
  return {
    type: problemType(kind),
    title,
    status,
    detail,
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
