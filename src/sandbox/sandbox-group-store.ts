import { formatCreateDate, type SandboxGroup } from './sandbox-group.js';
import { pickFreeName } from './sandbox-unique-name.js';

/** One user's groups. Ids only grow, so the Map's insertion order is id order. */
class UserGroups {
  readonly byId = new Map<number, SandboxGroup>();
  readonly idByLowerName = new Map<string, number>();
  /** Encoded list answers for this user, dropped on every change (keeps the list hot path cheap). */
  readonly renderedLists = new Map<string, Buffer>();
}

/** Groups per user in memory; ids are unique across users. */
export class SandboxGroupStore {
  private nextId = 1;
  private users = new Map<string, UserGroups>();

  add(userId: string, name: string, now = new Date()): SandboxGroup {
    const groups = this.groupsFor(userId);
    const uniqueName = pickFreeName(name, (lower) => groups.idByLowerName.has(lower));
    const group: SandboxGroup = { id: this.nextId++, name: uniqueName, userId, status: 1, createDate: formatCreateDate(now) };
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
