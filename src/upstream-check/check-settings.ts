// The check's own inputs, read from the environment and validated with one message naming every
// problem. They are not service settings: the service never reads DEEPCALL_CHECK_*.
import { isURL } from 'class-validator';

export interface CheckSettings {
  /** DeepCall's base URL, without a trailing slash. */
  baseUrl: string;
  /** The test account the check creates its groups in. */
  userId: string;
  token: string;
  /** Deadline for one call (the service's DEEPCALL_TIMEOUT_MS, default 5000). */
  timeoutMs: number;
}

export type SettingsResult = { ok: true; settings: CheckSettings } | { ok: false; problems: string[] };

export function readCheckSettings(env: NodeJS.ProcessEnv): SettingsResult {
  const problems: string[] = [];
  const baseUrl = env.DEEPCALL_BASE_URL?.trim() ?? '';
  if (baseUrl === '') {
    problems.push(
      'DEEPCALL_BASE_URL is not set: the check compares a real DeepCall with docs/deepcall-upstream.md, ' +
        'so it needs the address of the one to check (the built-in sandbox is not checked by default).',
    );
  } else if (!isURL(baseUrl, { require_tld: false, protocols: ['http', 'https'], require_protocol: true })) {
    problems.push('DEEPCALL_BASE_URL must be an http(s) URL');
  }
  const userId = env.DEEPCALL_CHECK_USER_ID?.trim() ?? '';
  if (userId === '') problems.push('DEEPCALL_CHECK_USER_ID is not set: the id of a test account to create groups in');
  const token = env.DEEPCALL_CHECK_TOKEN ?? '';
  if (token.trim() === '') problems.push("DEEPCALL_CHECK_TOKEN is not set: that test account's API token");
  const timeoutText = env.DEEPCALL_TIMEOUT_MS?.trim() ?? '';
  const timeoutMs = timeoutText === '' ? 5000 : Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 120_000)
    problems.push('DEEPCALL_TIMEOUT_MS must be an integer 1..120000');
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, settings: { baseUrl: baseUrl.replace(/\/+$/, ''), userId, token, timeoutMs } };
}
