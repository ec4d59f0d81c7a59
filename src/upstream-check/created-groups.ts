// The cleanup: every group the check created is deleted before it exits, whatever stopped it (the
// end, an error, SIGINT or SIGTERM). A create whose answer never came may still have made a group,
// so then the run's unique name is looked up too.
import { DeepcallCode, GROUP_PATHS, GroupCode } from '../deepcall/deepcall-codes.js';
import { MalformedGroupsError, parseGroupRecords } from '../deepcall/group-records.parser.js';
import type { Exchange, UpstreamPost } from './upstream-http.js';

export interface Credentials {
  userId: string;
  token: string;
}

/** The groups this run made and has not deleted yet. */
export class CreatedGroups {
  private readonly ids = new Set<number>();
  private createsInFlight = 0;
  private createOutcomeUnknown = false;

  /**
   * Runs an add, keeping the id of the group it made. Only an error envelope surely made none: no
   * answer, an answer that is not JSON, or a success without a readable id leave it unknown.
   */
  async adding(add: () => Promise<Exchange>): Promise<Exchange> {
    this.createsInFlight += 1;
    let settled = false;
    try {
      const exchange = await add();
      settled = true;
      const json = 'answer' in exchange ? exchange.answer.json : undefined;
      const id = groupIdOf(json?.groupId);
      if (json?.status === 'success' && id !== undefined) this.track(id);
      else if (json?.status !== 'error') this.createOutcomeUnknown = true;
      return exchange;
    } finally {
      this.createsInFlight -= 1;
      if (!settled) this.createOutcomeUnknown = true;
    }
  }

  track(id: number): void {
    this.ids.add(id);
  }

  deleted(id: number): void {
    this.ids.delete(id);
  }

  remaining(): number[] {
    return [...this.ids];
  }

  /** True when an add may have created a group whose id the check never saw. */
  mayHaveUnseen(): boolean {
    return this.createOutcomeUnknown || this.createsInFlight > 0;
  }
}

/** add's groupId: a number, or a numeric string (tolerated, as the service's client does). */
export function groupIdOf(value: unknown): number | undefined {
  const id = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

export interface CleanupReport {
  deleted: number[];
  /** Ids (or a note) the check could not delete: for the operator to remove by hand. */
  leftBehind: string[];
}

/** Deletes what the run created (and, if a create went unanswered, what carries the run's name). */
export async function deleteCreated(
  created: CreatedGroups,
  post: UpstreamPost,
  credentials: Credentials,
  runName: string,
): Promise<CleanupReport> {
  const report: CleanupReport = { deleted: [], leftBehind: [] };
  if (created.mayHaveUnseen()) {
    const found = await findByName(post, credentials, runName);
    if (found === undefined) report.leftBehind.push(`any group named "${runName}…" (the lookup failed)`);
    else for (const id of found) created.track(id);
  }
  for (const id of created.remaining()) await deleteOne(id, created, post, credentials, report);
  return report;
}

async function deleteOne(
  id: number,
  created: CreatedGroups,
  post: UpstreamPost,
  credentials: Credentials,
  report: CleanupReport,
): Promise<void> {
  const exchange = await post(GROUP_PATHS.delete, { ...credentials, groupId: String(id) });
  const json = 'answer' in exchange ? exchange.answer.json : undefined;
  // 1503: not (or no longer) there, which is what cleanup wants.
  if (json?.status === 'success' || Number(json?.code) === GroupCode.notFound) {
    created.deleted(id);
    report.deleted.push(id);
  } else {
    report.leftBehind.push(String(id));
  }
}

/** Ids of the caller's groups whose name starts with the run's name; undefined if the list failed. */
async function findByName(
  post: UpstreamPost,
  credentials: Credentials,
  runName: string,
): Promise<number[] | undefined> {
  const exchange = await post(GROUP_PATHS.list, { ...credentials, forward: false, name: runName });
  if (!('answer' in exchange)) return undefined;
  const json = exchange.answer.json;
  if (json?.status === 'error') return Number(json.code) === DeepcallCode.noDataFound ? [] : undefined;
  if (json?.status !== 'success') return undefined;
  try {
    return parseGroupRecords(json.response)
      .filter((group) => group.name.toLowerCase().startsWith(runName.toLowerCase()))
      .map((group) => group.id);
  } catch (error) {
    if (error instanceof MalformedGroupsError) return undefined;
    throw error;
  }
}
