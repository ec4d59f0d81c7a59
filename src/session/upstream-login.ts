import { Injectable } from '@nestjs/common';
import { DeepcallAuthApi } from '../deepcall/deepcall-auth.api.js';
import { UpstreamCredentials } from '../deepcall/upstream-credentials.js';

/**
 * Turns a DeepCall login into what group calls authenticate with: an exchanged ssid when
 * DEEPCALL_LOGIN_PATH is set, otherwise the userId+token pair itself (checked once here).
 */
@Injectable()
export class UpstreamLogin {
  constructor(private readonly auth: DeepcallAuthApi) {}

  async exchange(userId: string, token: string): Promise<UpstreamCredentials> {
    if (this.auth.exchangesSsids) return { ssid: await this.auth.login(userId, token) };
    await this.auth.verify(userId, token);
    return { userId, token };
  }

  /** For a request served without the store: nothing is checked ahead, the call itself is the check. */
  async uncached(userId: string, token: string): Promise<UpstreamCredentials> {
    return this.auth.exchangesSsids ? { ssid: await this.auth.login(userId, token) } : { userId, token };
  }
}
