/** Messages for the error codes DeepCall documents (exact upstream wording is not published). */
const MESSAGES: Readonly<Record<number, string>> = {
  1000: 'Invalid parameters',
  1001: 'Invalid data type',
  1002: 'userId not provided',
  1009: 'Something went wrong',
  1010: 'Database connection error',
  1012: 'No data found',
  1014: 'Invalid token',
  1015: 'Permission denied',
  1020: 'Token not provided',
  1032: 'Internal server error',
  1039: 'Account suspended',
  1047: 'Invalid request data',
  1501: 'Group name is required',
  1502: 'Group id is required',
  1503: 'Group not found',
};

export function messageForCode(code: number): string {
  return MESSAGES[code] ?? 'Request failed';
}

/** An application error answered with the upstream's error envelope. */
export class SandboxApiError extends Error {
  override readonly name = 'SandboxApiError';

  constructor(readonly code: number) {
    super(messageForCode(code));
  }
}
