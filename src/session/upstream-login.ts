import { Injectable } from '@nestjs/common';
import { DeepcallAuthApi } from '../deepcall/deepcall-auth.api.js';
import { UpstreamCredentials } from '../deepcall/deepcall.types.js';
import { currentRequest } from '../core/request/request-context.js';
import { LoginThrottle } from '../fair-use/login-throttle.js';

/**
 * Turns a DeepCall login into what group calls authenticate with: an exchanged ssid when
 * DEEPCALL_LOGIN_PATH is set, otherwise the userId+token pair itself (checked once here).
 * Logins a caller presents go through the login throttle; renewing a session's ssid does not.
 */
@Injectable()
export class UpstreamLogin {
  constructor(
    private readonly auth: DeepcallAuthApi,
    private readonly throttle: LoginThrottle,
  ) {}

  exchange(userId: string, token: string): Promise<UpstreamCredentials> {
    return this.throttle.attempt(userId, token, currentRequest()?.clientIp, () => this.renew(userId, token));
  }

  /** The login of a session that already proved it: a new ssid for a stale one. */
  async renew(userId: string, token: string): Promise<UpstreamCredentials> {
    if (this.auth.exchangesSsids) return { ssid: await this.auth.login(userId, token) };
    await this.auth.verify(userId, token);
    return { userId, token };
  }

  /**
   * For a Basic request served without the store: a login like any other, through the throttle
   * (counting in memory while the shared counters are unreachable), so an outage of the store is
   * no way around it.
   */
  uncached(userId: string, token: string): Promise<UpstreamCredentials> {
    return this.exchange(userId, token);
  }
}
