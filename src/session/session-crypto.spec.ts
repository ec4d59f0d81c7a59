import { describe, expect, it } from '@jest/globals';
import { SessionCipher } from './session-cipher.js';
import { RedisKeys } from '../state/redis-keys.js';
import { SessionSecrets } from '../state/session-secrets.js';

const secrets = new SessionSecrets('a'.repeat(32) + '-unit-test-secret');
const keys = new RedisKeys('groups-bff:', secrets);
const cipher = new SessionCipher(secrets);

describe('RedisKeys', () => {
  it('derives stable, prefixed keys that do not contain the secret they derive from', () => {
    const sessionId = 'S3cr3tSessionIdS3cr3tSessionIdS3cr3tSession';
    const key = keys.session(sessionId);
    expect(key).toBe(keys.session(sessionId));
    expect(key.startsWith('groups-bff:session:')).toBe(true);
    expect(key).not.toContain(sessionId);
    const login = keys.login('alice', 'token-XYZ');
    expect(login.startsWith('groups-bff:login:')).toBe(true);
    expect(login).not.toMatch(/alice|token-XYZ/);
  });

  it('gives different keys for different logins, secrets and purposes', () => {
    expect(keys.login('alice', 't1')).not.toBe(keys.login('alice', 't2'));
    // The separator keeps "ab"+"c" apart from "a"+"bc".
    expect(keys.login('ab', 'c')).not.toBe(keys.login('a', 'bc'));
    const otherKeys = new RedisKeys('groups-bff:', new SessionSecrets('b'.repeat(40)));
    expect(otherKeys.login('alice', 't1')).not.toBe(keys.login('alice', 't1'));
  });

  it('uses separate derived keys for naming and encryption', () => {
    expect(secrets.keyNaming.equals(secrets.recordEncryption)).toBe(false);
  });
});

describe('SessionCipher (AES-256-GCM)', () => {
  it('round-trips and never shows the plaintext', () => {
    const sealed = cipher.seal('{"token":"very-distinctive-token"}', 'key-1');
    expect(sealed).not.toContain('very-distinctive-token');
    expect(cipher.open(sealed, 'key-1')).toBe('{"token":"very-distinctive-token"}');
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.seal('same', 'k')).not.toBe(cipher.seal('same', 'k'));
  });

  it('refuses a record moved under another key, tampered with, or sealed with another secret', () => {
    const sealed = cipher.seal('payload', 'key-1');
    expect(cipher.open(sealed, 'key-2')).toBeUndefined();
    // Not the last character: some of its bits can be base64 padding, which decodes the same.
    const at = sealed.length - 8;
    const tampered = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
    expect(cipher.open(tampered, 'key-1')).toBeUndefined();
    expect(new SessionCipher(new SessionSecrets('c'.repeat(32))).open(sealed, 'key-1')).toBeUndefined();
    expect(cipher.open('garbage', 'key-1')).toBeUndefined();
    expect(cipher.open('v1.AAAA', 'key-1')).toBeUndefined();
  });
});
