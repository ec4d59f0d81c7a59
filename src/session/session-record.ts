import { UpstreamCredentials } from '../deepcall/deepcall.types.js';

/** What a session holds. Stored only sealed (SessionCipher): it contains the DeepCall token. */
export interface SessionRecord {
  userId: string;
  token: string;
  credentials: UpstreamCredentials;
  createdAt: number;
  /** Absolute end (epoch ms): SESSION_MAX_AGE_SECONDS after creation, whatever the use. */
  endsAt: number;
}

export function parseSessionRecord(json: string): SessionRecord | undefined {
  try {
    const record = JSON.parse(json) as Partial<SessionRecord>;
    const valid =
      typeof record.userId === 'string' &&
      typeof record.token === 'string' &&
      typeof record.endsAt === 'number' &&
      typeof record.credentials === 'object';
    return valid ? (record as SessionRecord) : undefined;
  } catch {
    return undefined;
  }
}
