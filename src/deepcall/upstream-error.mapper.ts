import { UpstreamError } from './upstream.error.js';
import { ProblemKind } from '../core/problem/problem-kinds.js';
import { ProblemError } from '../core/problem/problem.error.js';

/** Which DeepCall module answered: codes from 1501 up mean different things in each. */
export type UpstreamContext = 'group' | 'login';

interface CodeRule {
  kind: ProblemKind;
  detail: string;
}

const SHARED_CODES: Record<number, CodeRule> = {
  1014: { kind: 'unauthorized', detail: 'DeepCall rejected the credentials (invalid or expired).' },
  1020: { kind: 'unauthorized', detail: 'DeepCall received no token.' },
  1015: { kind: 'forbidden', detail: 'DeepCall denied permission for this operation.' },
  1039: { kind: 'forbidden', detail: 'The DeepCall account is suspended.' },
  1000: { kind: 'upstreamRejectedInput', detail: 'DeepCall rejected the parameters.' },
  1001: { kind: 'upstreamRejectedInput', detail: 'DeepCall rejected a value of the wrong type.' },
};

const GROUP_CODES: Record<number, CodeRule> = {
  1012: { kind: 'notFound', detail: 'The group does not exist.' },
  1501: { kind: 'upstreamRejectedInput', detail: 'DeepCall requires a group name.' },
  1502: { kind: 'upstreamRejectedInput', detail: 'DeepCall requires a group id.' },
  1503: { kind: 'notFound', detail: 'The group does not exist or belongs to another account.' },
};

const LOGIN_CODES: Record<number, CodeRule> = {
  // The upstream page: 1000 is "sometimes also used for bad authentication"; at login it is that.
  1000: { kind: 'unauthorized', detail: 'DeepCall rejected the login.' },
};

const FAILURE_RULES: Record<Exclude<UpstreamError['failure'], 'application'>, CodeRule> = {
  'rate-limited': { kind: 'rateLimited', detail: 'DeepCall is rate limiting this account; retry after the indicated delay.' },
  timeout: { kind: 'gatewayTimeout', detail: 'DeepCall did not answer within the deadline.' },
  deadline: { kind: 'gatewayTimeout', detail: 'The request ran out of time (REQUEST_DEADLINE_MS) before DeepCall could answer.' },
  unreachable: { kind: 'badGateway', detail: 'DeepCall could not be reached.' },
  'http-status': { kind: 'badGateway', detail: 'DeepCall answered with an unexpected HTTP status.' },
  malformed: { kind: 'badGateway', detail: 'DeepCall sent an answer that could not be understood.' },
  'circuit-open': { kind: 'unavailable', detail: 'DeepCall has been failing; calls to it are paused for a few seconds.' },
};

const UNKNOWN_CODE: CodeRule = { kind: 'badGateway', detail: 'DeepCall reported an internal failure.' };

/** api.md's error table: one upstream failure to one problem. Pure. */
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
