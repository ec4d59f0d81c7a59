import { randomBytes } from 'node:crypto';

export const DEMO_LOGIN = { userId: 'demo', token: 'demo-token' } as const;

interface IssuedSsid {
  userId: string;
  expiresAt: number;
}

/** Known logins (userId -> API token) and the ssids issued for them. */
export class SandboxLoginStore {
  private tokens = new Map<string, string>([[DEMO_LOGIN.userId, DEMO_LOGIN.token]]);
  private ssids = new Map<string, IssuedSsid>();

  addUser(userId: string, token: string): void {
    this.tokens.set(userId, token);
  }

  hasValidToken(userId: string, token: string): boolean {
    return this.tokens.get(userId) === token;
  }

  issueSsid(userId: string, ttlMs: number, now = Date.now()): string {
    if (this.ssids.size >= 10_000) this.dropExpired(now);
    const ssid = randomBytes(24).toString('base64url');
    this.ssids.set(ssid, { userId, expiresAt: now + ttlMs });
    return ssid;
  }

  /** The user an ssid belongs to, or undefined when unknown or expired. */
  userOfSsid(ssid: string, now = Date.now()): string | undefined {
    const issued = this.ssids.get(ssid);
    if (!issued) return undefined;
    if (now >= issued.expiresAt) {
      this.ssids.delete(ssid);
      return undefined;
    }
    return issued.userId;
  }

  expireSsids(): void {
    this.ssids.clear();
  }

  reset(): void {
    this.tokens = new Map([[DEMO_LOGIN.userId, DEMO_LOGIN.token]]);
    this.ssids.clear();
  }

  private dropExpired(now: number): void {
    for (const [ssid, issued] of this.ssids) if (now >= issued.expiresAt) this.ssids.delete(ssid);
  }
}
