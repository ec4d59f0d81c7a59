import { hkdfSync } from 'node:crypto';

/**
 * Independent keys derived from SESSION_SECRET (HKDF-SHA256), one per purpose, so the key that
 * names Redis entries is never the key that encrypts them.
 */
export class SessionSecrets {
  readonly keyNaming: Buffer;
  readonly recordEncryption: Buffer;

  constructor(secret: string) {
    this.keyNaming = derive(secret, 'redis-key-naming');
    this.recordEncryption = derive(secret, 'session-record-encryption');
  }
}

function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'groups-bff', purpose, 32));
}
