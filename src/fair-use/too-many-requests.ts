import { RateLimiterRes } from 'rate-limiter-flexible';
import { ProblemError } from '../core/problem/problem.error.js';

/**
 * A 429 with Retry-After and the IETF RateLimit-Policy / RateLimit headers
 * (draft-ietf-httpapi-ratelimit-headers) describing the policy that refused it.
 */
export function tooManyRequests(
  detail: string,
  policy: { name: string; quota: number; windowSeconds: number },
  refusal: RateLimiterRes,
): ProblemError {
  const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
  return new ProblemError('rateLimited', detail, {
    retryAfterSeconds,
    headers: {
      'ratelimit-policy': `"${policy.name}";q=${policy.quota};w=${policy.windowSeconds}`,
      ratelimit: `"${policy.name}";r=${refusal.remainingPoints};t=${retryAfterSeconds}`,
    },
    logContext: { fairUse: { policy: policy.name } },
  });
}
