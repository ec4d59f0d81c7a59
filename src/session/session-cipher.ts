import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SessionSecrets } from '../state/session-secrets.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for session records. The key name is bound as associated data, so a record
 * copied under another key does not decrypt.
 */
@Injectable()
export class SessionCipher {
  constructor(private readonly secrets: SessionSecrets) {}

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.secrets.recordEncryption, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(boundTo));
    const sealed = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${sealed.toString('base64url')}`;
  }

  /**
   * The plaintext, or undefined when the value was not sealed for this key by this secret or
   * (during a rotation) by the previous one.
   */
  open(sealedText: string, boundTo: string): string | undefined {
    if (!sealedText.startsWith(`${VERSION}.`)) return undefined;
    const sealed = Buffer.from(sealedText.slice(VERSION.length + 1), 'base64url');
    if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
    const previous = this.secrets.previous?.recordEncryption;
    return (
      openWith(this.secrets.recordEncryption, sealed, boundTo) ?? (previous && openWith(previous, sealed, boundTo))
    );
  }
}

function openWith(key: Buffer, sealed: Buffer, boundTo: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}
