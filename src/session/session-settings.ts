/** A class so that it is its own injection token (see app.module.ts, SettingsModule). */
export class SessionSettings {
  idleTtlMs: number;
  maxAgeMs: number;
  /** SESSION_MAX_PER_USER: live sessions per account. */
  maxPerUser: number;
  /** How long one upstream login may hold the cross-process login lock. */
  loginLockMs: number;
  /** REQUEST_DEADLINE_MS: a request waits for another's login no longer than its own deadline. */
  requestDeadlineMs: number;
}
