import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DeepcallCode, GroupCode } from './deepcall-codes.js';
import { UpstreamError } from './upstream.error.js';
import { apiProblemsDecorator } from '../core/openapi/api-problems.decorator.js';
import { ProblemKind } from '../core/problem/problem-kinds.js';
import { sendProblem } from '../core/problem/problem-responder.js';
import { ProblemError } from '../core/problem/problem.error.js';

// How a DeepCall failure reaches the caller: the error table, the filter that applies it, and
// the OpenAPI examples that name DeepCall's codes. Core knows none of it.

/** Which DeepCall module answered: codes from 1501 up mean different things in each. */
export type UpstreamContext = 'group' | 'login';

interface CodeRule {
  kind: ProblemKind;
  /** Left out where the kind's usual detail (problem-kinds.ts) says it. */
  detail?: string;
}

const SHARED_CODES: Record<number, CodeRule> = {
  [DeepcallCode.invalidCredentials]: {
    kind: 'unauthorized',
    detail: 'DeepCall rejected the credentials (invalid or expired).',
  },
  [DeepcallCode.tokenNotProvided]: { kind: 'unauthorized', detail: 'DeepCall received no token.' },
  [DeepcallCode.permissionDenied]: { kind: 'forbidden' },
  [DeepcallCode.accountSuspended]: { kind: 'forbidden', detail: 'The DeepCall account is suspended.' },
  [DeepcallCode.invalidParameters]: { kind: 'upstreamRejectedInput' },
  [DeepcallCode.invalidDataType]: {
    kind: 'upstreamRejectedInput',
    detail: 'DeepCall rejected a value of the wrong type.',
  },
};

const GROUP_CODES: Record<number, CodeRule> = {
  [DeepcallCode.noDataFound]: { kind: 'notFound', detail: 'The group does not exist.' },
  [GroupCode.nameRequired]: { kind: 'upstreamRejectedInput', detail: 'DeepCall requires a group name.' },
  [GroupCode.groupIdRequired]: { kind: 'upstreamRejectedInput', detail: 'DeepCall requires a group id.' },
  [GroupCode.notFound]: { kind: 'notFound' },
};

const LOGIN_CODES: Record<number, CodeRule> = {
  // docs/deepcall-upstream.md: 1000 is "sometimes also used for bad authentication"; at login it is that.
  [DeepcallCode.invalidParameters]: { kind: 'unauthorized', detail: 'DeepCall rejected the login.' },
};

const FAILURE_RULES: Record<Exclude<UpstreamError['failure'], 'application'>, CodeRule> = {
  'rate-limited': { kind: 'rateLimited' },
  timeout: { kind: 'gatewayTimeout' },
  deadline: {
    kind: 'gatewayTimeout',
    detail: 'The request ran out of time (REQUEST_DEADLINE_MS) before DeepCall could answer.',
  },
  unreachable: { kind: 'badGateway', detail: 'DeepCall could not be reached.' },
  'http-status': { kind: 'badGateway', detail: 'DeepCall answered with an unexpected HTTP status.' },
  malformed: { kind: 'badGateway', detail: 'DeepCall sent an answer that could not be understood.' },
  'circuit-open': {
    kind: 'unavailable',
    detail: 'DeepCall has been failing; calls to it are paused for a few seconds.',
  },
};

const UNKNOWN_CODE: CodeRule = { kind: 'badGateway' };

/** The error table of docs/api-contract.md: one upstream failure to one problem. Pure. */
export function mapUpstreamError(error: UpstreamError, context: UpstreamContext): ProblemError {
  const logContext = { upstream: { operation: error.operation, failure: error.failure, ...error.details } };
  if (error.failure !== 'application') {
    const rule = FAILURE_RULES[error.failure];
    return new ProblemError(rule.kind, rule.detail, { retryAfterSeconds: error.details.retryAfterSeconds, logContext });
  }
  const code = error.upstreamCode!;
  const contextCodes = context === 'group' ? GROUP_CODES : LOGIN_CODES;
  const rule = contextCodes[code] ?? SHARED_CODES[code] ?? UNKNOWN_CODE;
  return new ProblemError(rule.kind, rule.detail, { upstreamCode: code, logContext });
}

/** The problem the caller sees; login answers use the User module's codes. */
export function upstreamProblem(error: UpstreamError): ProblemError {
  return mapUpstreamError(error, error.operation === 'login' ? 'login' : 'group');
}

/** Every UpstreamError that reaches the edge becomes problem+json by the table above. */
@Catch(UpstreamError)
export class UpstreamErrorFilter implements ExceptionFilter<UpstreamError> {
  catch(error: UpstreamError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), upstreamProblem(error));
  }
}

/** ApiProblems for routes that call DeepCall: examples whose detail comes from DeepCall carry its code. */
export const ApiProblems = apiProblemsDecorator({
  notFound: { upstreamCode: GroupCode.notFound },
  forbidden: { upstreamCode: DeepcallCode.permissionDenied },
  upstreamRejectedInput: { upstreamCode: DeepcallCode.invalidParameters },
  badGateway: { upstreamCode: DeepcallCode.somethingWentWrong },
});
