import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from '../problem/problem-details.js';
import { PROBLEM_KINDS, ProblemKind, problemType } from '../problem/problem-kinds.js';
import { ProblemDto } from '../problem/problem.dto.js';

/** Members a feature adds to the example of a kind (the upstream code behind its detail, say). */
export type ProblemExampleExtras = Partial<Record<ProblemKind, Partial<ProblemDetails>>>;

function example(kind: ProblemKind, path: string, extras: ProblemExampleExtras) {
  const { status, title, detail } = PROBLEM_KINDS[kind];
  return {
    type: problemType(kind),
    title,
    status,
    detail,
    instance: path,
    requestId: '5f0c6a52-3c2e-4b8e-9a57-2b1f0a7f9c11',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    ...(kind === 'validation' && {
      errors: [{ field: 'name', message: 'name must be 1 to 100 characters after trimming' }],
    }),
    ...extras[kind],
  };
}

// What any route can answer, whatever it does: a method it does not serve, a request that did
// not arrive in time or whose URL is too long (the framework's answers), an unexpected failure.
const ON_EVERY_ROUTE: ProblemKind[] = ['methodNotAllowed', 'requestTimeout', 'uriTooLong', 'internal'];

/**
 * Makes the decorator that documents the problem+json answers a route can give, one response per
 * status with an example of each kind of problem that shares it, plus those of ON_EVERY_ROUTE.
 * Headers that go with a status (Retry-After, Allow…) are added by declareResponseHeaders.
 */
export const apiProblemsDecorator =
  (extras: ProblemExampleExtras = {}) =>
  (path: string, ...kinds: ProblemKind[]): MethodDecorator & ClassDecorator => {
    const byStatus = new Map<number, ProblemKind[]>();
    for (const kind of new Set<ProblemKind>([...kinds, ...ON_EVERY_ROUTE]))
      byStatus.set(PROBLEM_KINDS[kind].status, [...(byStatus.get(PROBLEM_KINDS[kind].status) ?? []), kind]);
    const responses = [...byStatus].map(([status, shared]) =>
      ApiResponse({
        status,
        description: shared.map((kind) => PROBLEM_KINDS[kind].title).join('; '),
        content: {
          [PROBLEM_CONTENT_TYPE]: {
            schema: { $ref: getSchemaPath(ProblemDto) },
            examples: Object.fromEntries(
              shared.map((kind) => [kind, { summary: PROBLEM_KINDS[kind].title, value: example(kind, path, extras) }]),
            ),
          },
        },
      }),
    );
    return applyDecorators(ApiExtraModels(ProblemDto), ...responses);
  };
