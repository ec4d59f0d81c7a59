import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, ProblemDetails } from './problem-details.js';
import { PROBLEM_KINDS, problemType } from './problem-kinds.js';
import { ProblemError } from './problem.error.js';
import { toProblem } from './to-problem.js';
import { pathOf } from '../request/request-path.js';
import { newTraceId, traceFieldsOf } from '../../telemetry/server-span.js';

export const WWW_AUTHENTICATE = 'Bearer realm="groups-bff", Basic realm="groups-bff", charset="UTF-8"';

const logger = new Logger('Problem');

/** Writes any error as application/problem+json. The one place error answers are rendered. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): void {
  const problem = toProblem(error);
  const span = request.requestContext?.span;
  logProblem(problem, error, { requestId: request.id, ...(span && traceFieldsOf(span)) });

  const body: ProblemDetails = {
    type: problemType(problem.kind),
    title: PROBLEM_KINDS[problem.kind].title,
    status: problem.status,
    detail: problem.detail,
    instance: problem.extras.instance ?? pathOf(request.url),
    requestId: request.id,
    traceId: span?.spanContext().traceId ?? newTraceId(),
    ...(problem.extras.errors && { errors: problem.extras.errors }),
    ...(problem.extras.upstreamCode !== undefined && { upstreamCode: problem.extras.upstreamCode }),
  };

  if (problem.kind === 'unauthorized') reply.header('www-authenticate', WWW_AUTHENTICATE);
  if (problem.extras.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(problem.extras.retryAfterSeconds));
  if (problem.extras.headers) reply.headers(problem.extras.headers);
  reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

function logProblem(problem: ProblemError, original: unknown, ids: Record<string, string | undefined>): void {
  // The request and trace ids tie this line to the request's own line (written outside its context).
  const context = { ...ids, problem: problem.kind, status: problem.status, ...problem.extras.logContext };
  if (problem.kind === 'internal') {
    // Only unexpected errors carry a stack; they come from our code, not from request data.
    logger.error(
      {
        ...context,
        err:
          original instanceof Error
            ? { name: original.name, message: original.message, stack: original.stack }
            : String(original),
      },
      'Unhandled error',
    );
  } else if (problem.status >= 500) {
    logger.warn(context, problem.detail);
  } else {
    logger.debug(context, problem.detail);
  }
}
