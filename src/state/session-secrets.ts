import { hkdfSync } from 'node:crypto';

/**
 * Independent keys derived from SESSION_SECRET (HKDF-SHA256), one per purpose, so the key that
 * names Redis entries is never the key that encrypts them.
 */
export class SessionSecrets {
  readonly keyNaming: Buffer;
  readonly recordEncryption: Buffer;
  /** Keys the audit trail's actor pseudonyms: stable for every replica sharing the secret. */
  readonly actorPseudonyms: Buffer;
  /** The same keys from SESSION_SECRET_PREVIOUS during a rotation: for reading only. */
  readonly previous: SessionSecrets | undefined;

  constructor(secret: string, previousSecret?: string) {
    this.keyNaming = derive(secret, 'redis-key-naming');
    this.recordEncryption = derive(secret, 'session-record-encryption');
    this.actorPseudonyms = derive(secret, 'audit-actor-pseudonyms');
    this.previous = previousSecret === undefined ? undefined : new SessionSecrets(previousSecret);
  }
}

function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'groups-bff', purpose, 32));
}
