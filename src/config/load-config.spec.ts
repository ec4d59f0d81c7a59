import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './load-config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs with no configuration outside production: sandbox, in-process store, random secret', () => {
    const config = loadConfig({});
    expect(config.production).toBe(false);
    expect(config.deepcall.baseUrl).toBeUndefined();
    expect(config.redis.url).toBeUndefined();
    expect(config.session.secretGenerated).toBe(true);
    expect(config.session.secret.length).toBeGreaterThanOrEqual(32);
    expect(config.port).toBe(3000);
    expect(config.deepcall.timeoutMs).toBe(5000);
    expect(config.session).toMatchObject({ idleTtlSeconds: 1800, maxAgeSeconds: 43200 });
    expect(config.redis.keyPrefix).toBe('groups-bff:');
  });

  it('names every missing production setting in one error', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems.join('\n')).toMatch(/DEEPCALL_BASE_URL/);
    expect(problems.join('\n')).toMatch(/REDIS_URL/);
    expect(problems.join('\n')).toMatch(/SESSION_SECRET/);
  });

  it('names every bad variable, without echoing its value', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DEEPCALL_TIMEOUT_MS: '-5',
      REDIS_URL: 'http://nope',
      SESSION_SECRET: 'short-secret-value',
      LOG_LEVEL: 'loud',
      CORS_ORIGINS: 'not a url',
      TRUST_PROXY: 'x',
    });
    const text = problems.join('\n');
    for (const name of [
      'PORT',
      'DEEPCALL_TIMEOUT_MS',
      'REDIS_URL',
      'SESSION_SECRET',
      'LOG_LEVEL',
      'CORS_ORIGINS',
      'TRUST_PROXY',
    ])
      expect(text).toContain(name);
    expect(text).not.toContain('short-secret-value');
  });

  it('says a non-numeric number is not a number, once, rather than out of range', () => {
    expect(problemsOf({ PORT: 'abc' })).toEqual(['PORT must be an integer number']);
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT must not be greater than 65535']);
  });

  it('refuses a max age shorter than the idle TTL', () => {
    expect(problemsOf({ SESSION_TTL_SECONDS: '100', SESSION_MAX_AGE_SECONDS: '50' }).join()).toMatch(
      /SESSION_MAX_AGE_SECONDS/,
    );
  });

  it('reads a full production configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DEEPCALL_BASE_URL: 'https://v4-api.deepcall.com/',
      REDIS_URL: 'rediss://cache:6380/0',
      SESSION_SECRET: 's'.repeat(40),
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      TRUST_PROXY: '1',
      DEEPCALL_LOGIN_PATH: '/api/v2/User/login',
      DEEPCALL_LOGIN_SSID_FIELD: 'data.ssid',
      DOCS_ENABLED: 'false',
    });
    expect(config.deepcall.baseUrl).toBe('https://v4-api.deepcall.com');
    expect(config.http.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(config.http.trustProxyHops).toBe(1);
    expect(config.http.docsEnabled).toBe(false);
    expect(config.deepcall.loginSsidField).toBe('data.ssid');
    expect(config.session.secretGenerated).toBe(false);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: ' ' }).port).toBe(3000);
  });
});
