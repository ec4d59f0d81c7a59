import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { SessionSecrets } from '../state/session-secrets.js';

/**
 * The audit trail's name for a user: a keyed HMAC of the userId under a key derived from
 * SESSION_SECRET, so every replica names a user alike, and the log never holds the userId.
 * Whoever holds the secret can check which user an entry names.
 */
@Injectable()
export class AuditActor {
  constructor(private readonly secrets: SessionSecrets) {}

  of(userId: string): string {
    return createHmac('sha256', this.secrets.actorPseudonyms).update(userId).digest('base64url').slice(0, 22);
  }
}
