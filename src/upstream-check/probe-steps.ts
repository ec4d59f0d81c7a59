// The probe: the calls the check makes, in order, each answer kept raw for the expectations.
// One uniquely named group is created, read, renamed, listed and deleted; a second add of the
// same name shows the duplicate-name suffix; then the documented error cases are tried, the
// unknown id being the group just deleted (so it surely is not the caller's any more).
import { randomBytes } from 'node:crypto';

import { GROUP_PATHS } from '../deepcall/deepcall-codes.js';
import { type CreatedGroups, type Credentials, groupIdOf } from './created-groups.js';
import type { Exchange, UpstreamPost } from './upstream-http.js';

/** What the probe saw; a step left out because an earlier one failed is absent. */
export interface Observations {
  runName: string;
  renamedTo: string;
  /** The case-changed substring of the run's name the name filter is tried with. */
  nameFilter: string;
  createdId?: number;
  duplicateId?: number;
  create?: Exchange;
  duplicate?: Exchange;
  readCreated?: Exchange;
  rename?: Exchange;
  readRenamed?: Exchange;
  listByName?: Exchange;
  deleteCreated?: Exchange;
  deleteDuplicate?: Exchange;
  readDeleted?: Exchange;
  unknownIdUpdate?: Exchange;
  unknownIdDelete?: Exchange;
  emptyName?: Exchange;
  missingGroupId?: Exchange;
  badToken?: Exchange;
  noToken?: Exchange;
  nonJson?: Exchange;
}

/** A fresh name no operator's group has: "drift-check <hex>". */
export function runNames(): Pick<Observations, 'runName' | 'renamedTo' | 'nameFilter'> {
  const tag = randomBytes(6).toString('hex');
  const runName = `drift-check ${tag}`;
  return { runName, renamedTo: `${runName} renamed`, nameFilter: `CHECK ${tag.toUpperCase()}` };
}

function succeeded(exchange: Exchange | undefined): boolean {
  return exchange !== undefined && 'answer' in exchange && exchange.answer.json?.status === 'success';
}

/** Runs every step into `seen` (filled as it goes, so an interrupted run still shows what it got). */
export async function runProbe(
  post: UpstreamPost,
  credentials: Credentials,
  created: CreatedGroups,
  seen: Observations,
): Promise<void> {
  const list = (filter: Record<string, unknown>): Promise<Exchange> =>
    post(GROUP_PATHS.list, { ...credentials, forward: false, ...filter });

  seen.create = await created.adding(() => post(GROUP_PATHS.add, { ...credentials, name: seen.runName }));
  seen.createdId = idFrom(seen.create);
  seen.duplicate = await created.adding(() => post(GROUP_PATHS.add, { ...credentials, name: seen.runName }));
  seen.duplicateId = idFrom(seen.duplicate);

  const id = seen.createdId;
  if (id !== undefined) {
    seen.readCreated = await list({ groupid: String(id) });
    const change = { ...credentials, groupId: String(id), name: seen.renamedTo, status: 0 };
    seen.rename = await post(GROUP_PATHS.update, change);
    seen.readRenamed = await list({ groupid: String(id) });
  }
  seen.listByName = await list({ name: seen.nameFilter });

  if (id !== undefined) {
    seen.deleteCreated = await post(GROUP_PATHS.delete, { ...credentials, groupId: String(id) });
    if (succeeded(seen.deleteCreated)) created.deleted(id);
  }
  if (seen.duplicateId !== undefined) {
    seen.deleteDuplicate = await post(GROUP_PATHS.delete, { ...credentials, groupId: String(seen.duplicateId) });
    if (succeeded(seen.deleteDuplicate)) created.deleted(seen.duplicateId);
  }

  if (id !== undefined && succeeded(seen.deleteCreated)) {
    seen.readDeleted = await list({ groupid: String(id) });
    seen.unknownIdUpdate = await post(GROUP_PATHS.update, { ...credentials, groupId: String(id), name: seen.runName });
    seen.unknownIdDelete = await post(GROUP_PATHS.delete, { ...credentials, groupId: String(id) });
  }
  // Should upstream accept the empty name after all, the group it made is cleaned up too.
  seen.emptyName = await created.adding(() => post(GROUP_PATHS.add, { ...credentials, name: '' }));
  seen.missingGroupId = await post(GROUP_PATHS.update, { ...credentials, name: seen.runName });
  seen.badToken = await list({ userId: credentials.userId, token: `${credentials.token}-not-valid` });
  seen.noToken = await post(GROUP_PATHS.list, { userId: credentials.userId, forward: false });
  seen.nonJson = await post(GROUP_PATHS.list, 'this is not JSON');
}

function idFrom(exchange: Exchange): number | undefined {
  return succeeded(exchange) && 'answer' in exchange ? groupIdOf(exchange.answer.json?.groupId) : undefined;
}
