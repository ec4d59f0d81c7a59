// The sandbox's state: groups per user, logins and ssids, and the counters tests read.
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';

import { SandboxFaultList } from './sandbox-faults.js';
import { SANDBOX_OPS, type SandboxOp } from './sandbox-wire.js';

export type SandboxIdField = 'id' | 'groupId' | 'group_id' | 'groupid';
export type SandboxEmptyListAs = 'error-1012' | 'empty';
export type SandboxListShape = 'array' | 'object-by-id';

export interface SandboxOptions {
  port?: number;
  host?: string;
  ssidTtlMs?: number;
  errorHttpStatus?: number;
  emptyListAs?: SandboxEmptyListAs;
  listShape?: SandboxListShape;
  idField?: SandboxIdField;
  idsAsStrings?: boolean;
}

/** The options that can change while the sandbox runs (SandboxControl.configure). */
export type SandboxRuntimeOptions = Partial<
  Pick<SandboxOptions, 'ssidTtlMs' | 'errorHttpStatus' | 'emptyListAs' | 'listShape' | 'idField' | 'idsAsStrings'>
>;

export type SandboxSettings = Required<SandboxRuntimeOptions>;

export const DEFAULT_SANDBOX_SETTINGS: Readonly<SandboxSettings> = Object.freeze({
  ssidTtlMs: 3_600_000,
  errorHttpStatus: 200,
  emptyListAs: 'error-1012',
  listShape: 'array',
  idField: 'id',
  idsAsStrings: false,
});

/** Everything one running sandbox holds; shared by the request handlers and SandboxControl. */
export class SandboxState {
  readonly logins = new SandboxLoginStore();
  readonly groups = new SandboxGroupStore();
  readonly faults = new SandboxFaultList();
  readonly stats = new SandboxStatsCounter();
  readonly sockets = new Set<Socket>();
  /** The trace headers of the latest operations, newest last: tests check what the service propagates. */
  readonly traceHeaders: ReceivedTraceHeaders[] = [];
  /** Aborted by close(), so pending delays end instead of holding the process open. */
  readonly closing = new AbortController();
  settings: SandboxSettings;

  constructor(readonly startSettings: SandboxSettings) {
    this.settings = { ...startSettings };
  }
}

/** The W3C Trace Context headers one operation request arrived with. */
export interface ReceivedTraceHeaders {
  op: SandboxOp;
  traceparent?: string;
  tracestate?: string;
}

/** How many operations' trace headers are kept. */
export const KEPT_TRACE_HEADERS = 100;

/** One user's groups. Ids only grow, so the Map's insertion order is id order. */
class UserGroups {
  readonly byId = new Map<number, SandboxGroup>();
  readonly idByLowerName = new Map<string, number>();
  /** Encoded list answers for this user, dropped on every change (keeps the list hot path cheap). */
  readonly renderedLists = new Map<string, Buffer>();
}

/** Groups per user in memory; ids are unique across users. */
class SandboxGroupStore {
  private nextId = 1;
  private users = new Map<string, UserGroups>();

  add(userId: string, name: string, now = new Date()): SandboxGroup {
    const groups = this.groupsFor(userId);
    const uniqueName = pickFreeName(name, (lower) => groups.idByLowerName.has(lower));
    const group: SandboxGroup = {
      id: this.nextId++,
      name: uniqueName,
      userId,
      status: 1,
      createDate: formatCreateDate(now),
    };
    groups.byId.set(group.id, group);
    groups.idByLowerName.set(uniqueName.toLowerCase(), group.id);
    groups.renderedLists.clear();
    return group;
  }

  /** Renames (with a suffix if the name is taken by another group) and sets the status; undefined if not the user's. */
  update(userId: string, id: number, name: string, status: 0 | 1): SandboxGroup | undefined {
    const groups = this.users.get(userId);
    const group = groups?.byId.get(id);
    if (!groups || !group) return undefined;
    groups.idByLowerName.delete(group.name.toLowerCase());
    group.name = pickFreeName(name, (lower) => groups.idByLowerName.has(lower));
    group.status = status;
    groups.idByLowerName.set(group.name.toLowerCase(), id);
    groups.renderedLists.clear();
    return group;
  }

  remove(userId: string, id: number): boolean {
    const groups = this.users.get(userId);
    const group = groups?.byId.get(id);
    if (!groups || !group) return false;
    groups.byId.delete(id);
    groups.idByLowerName.delete(group.name.toLowerCase());
    groups.renderedLists.clear();
    return true;
  }

  /** The user's groups in id order (live records: do not mutate). */
  list(userId: string): Iterable<SandboxGroup> {
    return this.users.get(userId)?.byId.values() ?? [];
  }

  count(userId: string): number {
    return this.users.get(userId)?.byId.size ?? 0;
  }

  find(userId: string, id: number): SandboxGroup | undefined {
    return this.users.get(userId)?.byId.get(id);
  }

  /** Cache of rendered list answers for the user, valid until the user's groups change. */
  renderedListsOf(userId: string): Map<string, Buffer> {
    return this.groupsFor(userId).renderedLists;
  }

  clear(): void {
    this.users = new Map();
    this.nextId = 1;
  }

  private groupsFor(userId: string): UserGroups {
    let groups = this.users.get(userId);
    if (!groups) {
      groups = new UserGroups();
      this.users.set(userId, groups);
    }
    return groups;
  }
}

/** One stored group, as the sandbox keeps it (rendered to upstream's snake_case on the wire). */
export interface SandboxGroup {
  id: number;
  name: string;
  userId: string;
  status: 0 | 1;
  /** `YYYY-MM-DD HH:mm:ss`, UTC. */
  createDate: string;
}

function formatCreateDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Upstream does not reject a duplicate group name, it appends a number: "Sales" -> "Sales 1" ->
 * "Sales 2", the first free one. `isTaken` receives lower-cased names (uniqueness ignores case).
 */
export function pickFreeName(name: string, isTaken: (lowerName: string) => boolean): string {
  if (!isTaken(name.toLowerCase())) return name;
  for (let n = 1; ; n += 1) {
    const candidate = `${name} ${n}`;
    if (!isTaken(candidate.toLowerCase())) return candidate;
  }
}

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

export interface SandboxStats {
  /** Every request that reached an operation's route, faulted or not. */
  requests: Record<SandboxOp, number>;
  /** Successful logins (ssids issued). */
  logins: number;
  /** Sockets open right now. */
  openConnections: number;
  /** Operation requests received and not yet answered (or abandoned). */
  inFlight: number;
}

class SandboxStatsCounter {
  private requests = zeroCounts();
  private logins = 0;
  inFlight = 0;

  countRequest(op: SandboxOp): void {
    this.requests[op] += 1;
  }

  countLogin(): void {
    this.logins += 1;
  }

  snapshot(openConnections: number): SandboxStats {
    return { requests: { ...this.requests }, logins: this.logins, openConnections, inFlight: this.inFlight };
  }

  /** Zeroes the counters; the live gauges (connections, in flight) are not counters. */
  reset(): void {
    this.requests = zeroCounts();
    this.logins = 0;
  }
}

function zeroCounts(): Record<SandboxOp, number> {
  return Object.fromEntries(SANDBOX_OPS.map((op) => [op, 0])) as Record<SandboxOp, number>;
}
