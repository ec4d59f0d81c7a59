import { describe, expect, it } from '@jest/globals';
import { parseAuthorization } from './authorization-header.js';
import { ProblemError } from '../core/problem/problem.error.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const SESSION_ID = 'A'.repeat(21) + '_-' + 'z'.repeat(20);

describe('parseAuthorization', () => {
  it('reads a Bearer session id, scheme in any case', () => {
    expect(parseAuthorization(`Bearer ${SESSION_ID}`)).toEqual({ scheme: 'bearer', sessionId: SESSION_ID });
    expect(parseAuthorization(`bearer ${SESSION_ID}`)).toEqual({ scheme: 'bearer', sessionId: SESSION_ID });
  });

  it('reads Basic userId:token, keeping colons inside the token', () => {
    expect(parseAuthorization(`Basic ${b64('demo:demo-token')}`)).toEqual({
      scheme: 'basic',
      userId: 'demo',
      token: 'demo-token',
    });
    expect(parseAuthorization(`Basic ${b64('u:a:b')}`)).toEqual({ scheme: 'basic', userId: 'u', token: 'a:b' });
    expect(parseAuthorization(`Basic ${b64('jörg:tök')}`)).toEqual({ scheme: 'basic', userId: 'jörg', token: 'tök' });
  });

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer short',
    `Bearer ${SESSION_ID}x`,
    `Bearer ${SESSION_ID} extra`,
    'Token abc',
    'Basic',
    'Basic !!!!',
    `Basic ${b64('no-colon')}`,
    `Basic ${b64(':token')}`,
    `Basic ${b64('user:')}`,
    `Basic ${b64('us\u0000er:tok')}`,
    `Basic ${b64('u'.repeat(129) + ':t')}`,
    `Basic ${Buffer.from([0x75, 0x3a, 0xff, 0xfe]).toString('base64')}`,
    ['Basic a', 'Basic b'],
  ])('answers 401 for %p', (header) => {
    let error: unknown;
    try {
      parseAuthorization(header);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).status).toBe(401);
  });
});
