import { ProblemError } from '../core/problem/problem.error.js';

// The IETF draft sends the key as a Structured Field string ("..."); a bare token is accepted too.
const KEY = '[\\x21\\x23-\\x5B\\x5D-\\x7E][\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]{0,254}';

/** The header as the OpenAPI document declares it: 1 to 255 printable ASCII characters, optionally quoted. */
export const IDEMPOTENCY_KEY_PATTERN = `^(?:${KEY}|"${KEY}")$`;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 257;

const HEADER = new RegExp(IDEMPOTENCY_KEY_PATTERN);

/** The Idempotency-Key header: undefined when absent, a 400 when malformed. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  // Only HTTP's optional whitespace is not part of the value (String#trim would also drop U+00A0).
  const value = Array.isArray(header) ? undefined : header.replace(/^[ \t]+|[ \t]+$/g, '');
  if (value === undefined || !HEADER.test(value)) {
    throw new ProblemError('validation', 'The Idempotency-Key header is not valid.', {
      errors: [
        {
          field: 'Idempotency-Key',
          message: 'send one key of 1 to 255 printable ASCII characters, optionally in double quotes',
        },
      ],
    });
  }
  return value.replace(/^"(.*)"$/, '$1');
}
