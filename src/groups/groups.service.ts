import { Injectable, Logger } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.js';
import { GroupStatus } from './dto/group-status.js';
import { GroupDto } from './dto/group.dto.js';
import { etagOf, requireMatch } from './etag.js';
import { ReadCoalescer } from './read-coalescer.js';
import { currentDeadline, timeLeftMs } from '../core/deadline/request-deadline.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { currentRequest } from '../core/request/request-context.js';
import { DeepcallGroup } from '../deepcall/deepcall.types.js';
import { DeepcallGroupsApi, ListFilter } from '../deepcall/deepcall-groups.api.js';
import { DeepcallSettings } from '../deepcall/deepcall.types.js';
import type { UpstreamCredentials } from '../deepcall/deepcall.types.js';
import { UserConcurrency } from '../fair-use/user-concurrency.js';
import { IdempotencyService, IdempotentOutcome, ReconcilableWrite } from '../idempotency/idempotency.service.js';
import { AuthenticatedCaller } from '../session/authenticated-caller.js';
import { PresentedCredentials } from '../session/authorization-header.js';
import { SessionService } from '../session/session.service.js';

export interface GroupChanges {
  name?: string;
  status?: GroupStatus;
}

// The suffix format is undocumented ("Sales 1" in the sandbox): nothing, or a number after a separator.
const DUPLICATE_SUFFIX = /^(?:[\s_.#-]*\(?\d+\)?)?$/;

/** What a keyed create records before calling add: enough for a retry to find the group it made. */
interface CreateIntent {
  /** Ids of the groups add could make of the name (it, or it with a number), before add. */
  before: number[];
}

/** The group rules of docs/api-contract.md on top of DeepCall's Group module. */
@Injectable()
export class GroupsService {
  private readonly logger = new Logger(GroupsService.name);

  constructor(
    private readonly deepcall: DeepcallGroupsApi,
    private readonly sessions: SessionService,
    private readonly idempotency: IdempotencyService,
    private readonly concurrency: UserConcurrency,
    private readonly audit: AuditLog,
    private readonly reads: ReadCoalescer,
    private readonly settings: DeepcallSettings,
  ) {}

  async list(presented: PresentedCredentials, filter: Omit<ListFilter, 'groupId'>): Promise<GroupDto[]> {
    return this.asCaller(presented, async (caller) => {
      const groups = await this.shared(caller, listQueryKey(filter), () =>
        this.upstream(caller, (credentials) => this.deepcall.list(credentials, filter)),
      );
      // Upstream filters by name too; doing it here keeps the contract whatever upstream does.
      const needle = filter.name?.toLowerCase();
      const matching =
        needle === undefined ? groups : groups.filter((group) => group.name.toLowerCase().includes(needle));
      return byId(matching.map(toGroupDto));
    });
  }

  async get(presented: PresentedCredentials, id: number): Promise<GroupDto> {
    return this.asCaller(presented, (caller) => this.existing(caller, id));
  }

  /**
   * Answers the group as stored; if reading it back fails, with what is known (never an error).
   * With an Idempotency-Key, a repeat of the same request replays the first answer.
   */
  async create(
    presented: PresentedCredentials,
    name: string,
    idempotencyKey?: string,
  ): Promise<IdempotentOutcome<GroupDto>> {
    return this.asCaller(presented, async (caller) => {
      const create = async () => {
        const add = () => this.upstreamWrite(caller, (credentials) => this.deepcall.add(credentials, name));
        const id = await this.audit.write('group.create', caller.userId, undefined, add, (created) => created);
        return this.readBack(caller, { id, name, status: GroupStatus.Active, createdAt: null });
      };
      if (idempotencyKey === undefined) return { answer: await create(), replayed: false };
      const write: ReconcilableWrite<GroupDto, CreateIntent> = {
        prepare: async () => ({ before: (await this.namesakes(caller, name)).map((group) => group.id) }),
        run: create,
        reconcile: async ({ before }) => {
          const namesakes = await this.namesakes(caller, name);
          const known = new Set(before);
          const appeared = namesakes.filter((group) => !known.has(group.id));
          if (appeared.length === 0) return { notLanded: { before: namesakes.map((group) => group.id) } };
          if (appeared.length === 1) {
            // The earlier attempt's line said failure (or nothing, if its replica died): now it is known.
            this.audit.landed('group.create', caller.userId, appeared[0].id);
            return { landed: toGroupDto(appeared[0]) };
          }
          return { ambiguous: true };
        },
      };
      // The key is held no longer than this request can run: a crashed replica frees it by then.
      const leaseMs = timeLeftMs(currentDeadline(this.settings.requestDeadlineMs));
      return this.idempotency.once(
        caller.userId,
        idempotencyKey,
        IdempotencyService.fingerprint({ name }),
        leaseMs,
        write,
      );
    });
  }

  /**
   * Sends the current value of every field the caller left out: upstream would reset them.
   * With If-Match, the group as read right before the write must still carry that ETag.
   */
  async update(
    presented: PresentedCredentials,
    id: number,
    changes: GroupChanges,
    ifMatch?: string,
  ): Promise<GroupDto> {
    return this.asCaller(presented, async (caller) => {
      const current = await this.existing(caller, id, 'fresh');
      requireMatch(ifMatch, etagOf(current));
      const next = { ...current, ...defined(changes) };
      const change = { groupId: id, name: next.name, active: next.status === GroupStatus.Active };
      const update = () => this.upstreamWrite(caller, (credentials) => this.deepcall.update(credentials, change));
      await this.audit.write('group.update', caller.userId, id, update);
      return this.readBack(caller, next);
    });
  }

  /** With If-Match, the group is read first and deleted only if it still carries that ETag. */
  async remove(presented: PresentedCredentials, id: number, ifMatch?: string): Promise<void> {
    return this.asCaller(presented, async (caller) => {
      if (ifMatch !== undefined) requireMatch(ifMatch, etagOf(await this.existing(caller, id, 'fresh')));
      const remove = () => this.upstreamWrite(caller, (credentials) => this.deepcall.delete(credentials, id));
      await this.audit.write('group.delete', caller.userId, id, remove);
    });
  }

  /** One DeepCall write with the caller's credentials: no read of the caller started before it is shared after it. */
  private upstreamWrite<T>(
    caller: AuthenticatedCaller,
    call: (credentials: UpstreamCredentials) => Promise<T>,
  ): Promise<T> {
    return this.reads.write(caller.userId, () => this.upstream(caller, call));
  }

  /**
   * One DeepCall call with the caller's credentials, in one of the user's slots: it waits its
   * turn in the user's queue when all are taken (UserConcurrency). A re-login is not a slot's.
   */
  private upstream<T>(caller: AuthenticatedCaller, call: (credentials: UpstreamCredentials) => Promise<T>): Promise<T> {
    const deadlineAt = currentDeadline(this.settings.requestDeadlineMs);
    return this.sessions.run(caller, (credentials) =>
      this.concurrency.run(caller.userId, () => call(credentials), deadlineAt),
    );
  }

  /** Resolves the caller (a shared login is waited for here, holding no slot), then runs `work`. */
  private async asCaller<T>(
    presented: PresentedCredentials,
    work: (caller: AuthenticatedCaller) => Promise<T>,
  ): Promise<T> {
    return work(await this.sessions.resolve(presented));
  }

  /** The groups add could have made of `name`: that name, or it with a number DeepCall appended. */
  private async namesakes(caller: AuthenticatedCaller, name: string): Promise<DeepcallGroup[]> {
    const groups = await this.upstream(caller, (credentials) =>
      this.deepcall.list(credentials, { name, quick: false, forward: true }),
    );
    const prefix = name.toLowerCase();
    return groups.filter((group) => {
      const lower = group.name.toLowerCase();
      return lower.startsWith(prefix) && DUPLICATE_SUFFIX.test(lower.slice(prefix.length));
    });
  }

  /**
   * An identical read of the same session already in flight is joined (ReadCoalescer). Callers with
   * other credentials, or none cached, never share: one caller's login problem is never another's.
   */
  private shared<T>(caller: AuthenticatedCaller, query: string, read: () => Promise<T>): Promise<T> {
    if (caller.storeKey === undefined) return read();
    const deadlineAt = currentDeadline(this.settings.requestDeadlineMs);
    return this.reads.share(caller.userId, `${caller.storeKey}\0${query}`, read, deadlineAt);
  }

  /** `fresh`: the read a write is decided on (If-Match, the fields kept) is its own, never shared. */
  private async existing(
    caller: AuthenticatedCaller,
    id: number,
    read: 'shared' | 'fresh' = 'shared',
  ): Promise<GroupDto> {
    const group = await this.find(caller, id, read);
    if (!group) throw groupNotFound();
    return group;
  }

  /**
   * Filters by id here as well: upstream's filter spelling is uncertain and may be ignored.
   * `forward` is on so that reading one group never depends on the agent-call permission.
   */
  private async find(
    caller: AuthenticatedCaller,
    id: number,
    read: 'shared' | 'fresh' = 'shared',
  ): Promise<GroupDto | undefined> {
    const listOne = () =>
      this.upstream(caller, (credentials) =>
        this.deepcall.list(credentials, { groupId: id, quick: false, forward: true }),
      );
    const groups = read === 'fresh' ? await listOne() : await this.shared(caller, `group:${id}`, listOne);
    const group = groups.find((candidate) => candidate.id === id);
    return group && toGroupDto(group);
  }

  private async readBack(caller: AuthenticatedCaller, known: GroupDto): Promise<GroupDto> {
    try {
      return (await this.find(caller, known.id)) ?? known;
    } catch (error) {
      this.logger.warn(
        {
          requestId: currentRequest()?.requestId,
          groupId: known.id,
          cause: error instanceof Error ? error.message : 'unknown',
        },
        'Write succeeded but reading the group back failed',
      );
      return known;
    }
  }
}

function toGroupDto(group: DeepcallGroup): GroupDto {
  // A missing status is DeepCall's documented default, 1 (active).
  return {
    id: group.id,
    name: group.name,
    status: group.active === false ? GroupStatus.Inactive : GroupStatus.Active,
    createdAt: group.createdAt,
  };
}

/** The list in id order, which paging relies on; upstream's answer usually is already, so it is only checked. */
function byId(groups: GroupDto[]): GroupDto[] {
  for (let index = 1; index < groups.length; index++) {
    if (groups[index - 1].id > groups[index].id) return groups.sort((a, b) => a.id - b.id);
  }
  return groups;
}

/** The full list query (an absent field is null): only identical queries share a call. */
function listQueryKey({ name, quick, forward }: Omit<ListFilter, 'groupId'>): string {
  return `list:${JSON.stringify([name ?? null, quick ?? null, forward ?? null])}`;
}

function defined(changes: GroupChanges): GroupChanges {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

function groupNotFound(): ProblemError {
  return new ProblemError('notFound');
}
