import { describe, expect, it } from '@jest/globals';
import { readCheckSettings } from './check-settings.js';

const GOOD = {
  DEEPCALL_BASE_URL: 'https://v4-api.deepcall.com/',
  DEEPCALL_CHECK_USER_ID: '12345',
  DEEPCALL_CHECK_TOKEN: 'api-token',
};

describe('readCheckSettings', () => {
  it('reads the base URL (without its trailing slash), the test account and the call deadline', () => {
    expect(readCheckSettings({ ...GOOD, DEEPCALL_TIMEOUT_MS: '8000' })).toEqual({
      ok: true,
      settings: { baseUrl: 'https://v4-api.deepcall.com', userId: '12345', token: 'api-token', timeoutMs: 8000 },
    });
    expect(readCheckSettings(GOOD)).toMatchObject({ ok: true, settings: { timeoutMs: 5000 } });
  });

  it('names every missing or bad input at once', () => {
    const result = readCheckSettings({
      DEEPCALL_BASE_URL: 'ftp://example.com',
      DEEPCALL_CHECK_TOKEN: '  ',
      DEEPCALL_TIMEOUT_MS: '0',
    });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual([
      'DEEPCALL_BASE_URL',
      'DEEPCALL_CHECK_USER_ID',
      'DEEPCALL_CHECK_TOKEN',
      'DEEPCALL_TIMEOUT_MS',
    ]);
  });

  it('refuses to run without DEEPCALL_BASE_URL rather than check the built-in sandbox', () => {
    const result = readCheckSettings({ ...GOOD, DEEPCALL_BASE_URL: '' });
    expect(result).toEqual({ ok: false, problems: [expect.stringMatching(/^DEEPCALL_BASE_URL is not set/)] });
  });
});
