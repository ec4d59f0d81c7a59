import { Injectable } from '@nestjs/common';
import { DeepcallCode, GROUP_PATHS } from './deepcall-codes.js';
import { DeepcallGroup } from './deepcall.types.js';
import { DeepcallClient } from './deepcall.client.js';
import { MalformedGroupsError, parseGroupRecords } from './group-records.parser.js';
import { UpstreamCredentials } from './deepcall.types.js';
import { UpstreamError } from './upstream.error.js';

export interface ListFilter {
  name?: string;
  quick?: boolean;
  forward?: boolean;
  groupId?: number;
}

export interface GroupChange {
  groupId: number;
  name: string;
  active: boolean;
}

/** DeepCall's Group module (add, update, delete, list), typed. Throws UpstreamError. */
@Injectable()
export class DeepcallGroupsApi {
  constructor(private readonly client: DeepcallClient) {}

  async add(credentials: UpstreamCredentials, name: string): Promise<number> {
    const answer = await this.client.post('add', GROUP_PATHS.add, { ...credentials, name });
    const groupId =
      typeof answer.groupId === 'string' && /^\d+$/.test(answer.groupId) ? Number(answer.groupId) : answer.groupId;
    if (typeof groupId !== 'number' || !Number.isSafeInteger(groupId) || groupId <= 0)
      throw new UpstreamError('malformed', 'add');
    return groupId;
  }

  async update(credentials: UpstreamCredentials, change: GroupChange): Promise<void> {
    // Upstream requires name and resets status to 1 when it is missing: both are always sent.
    const body = { ...credentials, groupId: String(change.groupId), name: change.name, status: change.active ? 1 : 0 };
    await this.client.post('update', GROUP_PATHS.update, body);
  }

  async delete(credentials: UpstreamCredentials, groupId: number): Promise<void> {
    await this.client.post('delete', GROUP_PATHS.delete, { ...credentials, groupId: String(groupId) });
  }

  /** Upstream's "no data found" and an empty answer both mean: no groups. */
  async list(credentials: UpstreamCredentials, filter: ListFilter): Promise<DeepcallGroup[]> {
    const body: Record<string, unknown> = { ...credentials, forward: filter.forward ?? false };
    if (filter.quick !== undefined) body.quick = filter.quick;
    if (filter.name !== undefined) body.name = filter.name;
    if (filter.groupId !== undefined) body.groupid = String(filter.groupId);
    try {
      const answer = await this.client.post('list', GROUP_PATHS.list, body);
      return parseGroupRecords(answer.response);
    } catch (error) {
      if (error instanceof UpstreamError && error.upstreamCode === DeepcallCode.noDataFound) return [];
      if (error instanceof MalformedGroupsError) throw new UpstreamError('malformed', 'list');
      throw error;
    }
  }
}
