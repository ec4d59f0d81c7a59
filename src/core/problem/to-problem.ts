import { HttpException } from '@nestjs/common';
import { kindForStatus, ProblemKind } from './problem-kinds.js';
import { ProblemError } from './problem.error.js';

// What the framework raises gets the kind's usual detail (problem-kinds.ts), never its own
// message, which can echo request data; a 404 from the router is about the path, not a group.
const FRAMEWORK_DETAIL: Partial<Record<ProblemKind, string>> = {
  notFound: 'There is no resource at this path.',
};

const FASTIFY_BODY_ERRORS: Record<string, ProblemKind> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payloadTooLarge',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupportedMediaType',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformedRequest',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformedRequest',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformedRequest',
};

/** Turns anything thrown while serving a request into a ProblemError; unknown errors become 500. */
export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof HttpException) return fromStatus(error.getStatus());

  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string' && FASTIFY_BODY_ERRORS[code]) return fromKind(FASTIFY_BODY_ERRORS[code]);
  // Fastify's JSON parser reports syntax errors and prototype poisoning as plain 400s.
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return fromStatus(statusCode);
  return fromKind('internal');
}

function fromStatus(status: number): ProblemError {
  return fromKind(kindForStatus(status));
}

function fromKind(kind: ProblemKind): ProblemError {
  return new ProblemError(kind, FRAMEWORK_DETAIL[kind]);
}
