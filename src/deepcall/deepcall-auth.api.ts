import { Injectable } from '@nestjs/common';
import { DeepcallGroupsApi } from './deepcall-groups.api.js';
import { DeepcallSettings } from './deepcall.types.js';
import { DeepcallClient } from './deepcall.client.js';
import { UpstreamError } from './upstream.error.js';

const LOGIN_CHECK_FILTER = 'groups-bff:login-check:7f3c9a';

/** Checking a DeepCall login, and (where configured) exchanging it for an ssid. */
@Injectable()
export class DeepcallAuthApi {
  constructor(
    private readonly client: DeepcallClient,
    private readonly groups: DeepcallGroupsApi,
    private readonly settings: DeepcallSettings,
  ) {}

  get exchangesSsids(): boolean {
    return this.settings.loginPath !== undefined;
  }

  /**
   * Proves userId+token are accepted with the cheapest authenticated read: a quick list with a
   * name filter that should match nothing (any success proves the login, matches or not), and
   * `forward` on so no agent permission is checked.
   */
  async verify(userId: string, token: string): Promise<void> {
    await this.groups.list({ userId, token }, { quick: true, forward: true, name: LOGIN_CHECK_FILTER });
  }

  /** Exchanges a login for an upstream ssid at DEEPCALL_LOGIN_PATH. */
  async login(userId: string, token: string): Promise<string> {
    const answer = await this.client.post('login', this.settings.loginPath!, { userId, token });
    const ssid = this.settings.loginSsidField
      .split('.')
      .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], answer);
    if (typeof ssid !== 'string' || ssid === '') throw new UpstreamError('malformed', 'login');
    return ssid;
  }
}
