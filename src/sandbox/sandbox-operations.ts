// The sandbox's operations (add, update, delete, list, login): what each reads from the body,
// what it changes in the store, what it answers, and DeepCall's error codes and messages.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { actOutFault } from './sandbox-faults.js';
import type { SandboxGroup, SandboxLoginStore, SandboxSettings, SandboxState } from './sandbox-store.js';
import {
  errorEnvelope,
  type JsonObject,
  parseJsonObject,
  readRequestBody,
  SandboxApiError,
  type SandboxOp,
  sendJson,
  successEnvelope,
} from './sandbox-wire.js';

/** An op answers its success body as JSON text (or already encoded, for cached answers). */
type GroupOp = (body: JsonObject, userId: string, state: SandboxState) => string | Buffer;

const GROUP_OPS: Record<Exclude<SandboxOp, 'login'>, GroupOp> = {
  add: runAdd,
  update: runUpdate,
  delete: runDelete,
  list: runList,
};

/** Runs one operation on a parsed body; returns the success JSON or throws SandboxApiError. */
function runOp(op: SandboxOp, body: JsonObject, state: SandboxState): string | Buffer {
  if (op === 'login') return runLogin(body, state);
  return GROUP_OPS[op](body, authenticate(body, state.logins), state);
}

/** One upstream operation request: count it, read it, let a fault have it, else answer it. */
export async function handleOpRequest(
  req: IncomingMessage,
  res: ServerResponse,
  op: SandboxOp,
  state: SandboxState,
): Promise<void> {
  state.stats.countRequest(op);
  state.stats.inFlight += 1;
  res.once('close', () => {
    state.stats.inFlight -= 1;
  });

  const body = await readRequestBody(req);
  if (body === undefined) return; // the client went away

  const fault = state.faults.take(op);
  if (fault && (await actOutFault(fault, req, res, state.settings.errorHttpStatus, state.closing.signal))) return;

  if (body.tooLarge) {
    sendJson(res, 413, errorEnvelope(1047, 'Request body too large'));
    return;
  }
  // A delayed request is still carried out if its client gave up, as a slow upstream would.
  try {
    sendJson(res, 200, runOp(op, parseJsonObject(body.text), state));
  } catch (error) {
    if (!(error instanceof SandboxApiError)) throw error;
    sendJson(res, state.settings.errorHttpStatus, errorEnvelope(error.code));
  }
}

/**
 * The caller's userId from the body's credentials: a live `ssid` if one is sent (it wins),
 * else `userId` + `token`. No token 1020, no userId 1002, anything wrong 1014.
 */
export function authenticate(body: JsonObject, logins: SandboxLoginStore): string {
  if (!isAbsent(body.ssid)) {
    const userId = typeof body.ssid === 'string' ? logins.userOfSsid(body.ssid) : undefined;
    if (userId === undefined) throw new SandboxApiError(1014);
    return userId;
  }
  return checkUserToken(body, logins);
}

/** userId + token only (the login exchange). */
function checkUserToken(body: JsonObject, logins: SandboxLoginStore): string {
  if (isAbsent(body.token)) throw new SandboxApiError(1020);
  if (isAbsent(body.userId)) throw new SandboxApiError(1002);
  // Account ids may travel as numbers; compare their text.
  const userId = typeof body.userId === 'number' ? String(body.userId) : body.userId;
  if (typeof userId !== 'string' || typeof body.token !== 'string') throw new SandboxApiError(1014);
  if (!logins.hasValidToken(userId, body.token)) throw new SandboxApiError(1014);
  return userId;
}

/** The assumed ssid exchange: `{userId, token}` -> `{"status":"success","ssid":"...","code":200}`. */
function runLogin(body: JsonObject, state: SandboxState): string {
  const userId = checkUserToken(body, state.logins);
  const ssid = state.logins.issueSsid(userId, state.settings.ssidTtlMs);
  state.stats.countLogin();
  return successEnvelope({ ssid });
}

/** add `{name}` -> `{"status":"success","groupId":<number>,"code":200}`; a taken name gets a suffix. */
function runAdd(body: JsonObject, userId: string, state: SandboxState): string {
  const group = state.groups.add(userId, requireName(body));
  return successEnvelope({ groupId: group.id });
}

/** update `{groupId, name, status?}`; an omitted status resets the group to 1 (upstream's documented default). */
function runUpdate(body: JsonObject, userId: string, state: SandboxState): string {
  const id = parseGroupId(body.groupId, 1502);
  const name = requireName(body);
  const status = parseStatus(body.status);
  if (!state.groups.update(userId, id, name, status)) throw new SandboxApiError(1503);
  return successEnvelope({ message: 'Group updated successfully' });
}

/** delete `{groupId}`: permanent. */
function runDelete(body: JsonObject, userId: string, state: SandboxState): string {
  const id = parseGroupId(body.groupId, 1502);
  if (!state.groups.remove(userId, id)) throw new SandboxApiError(1503);
  return successEnvelope({ message: 'Group deleted successfully' });
}

/** list `{forward?, quick?, groupid?|groupId?, name?}`: the caller's groups in id order, filtered. */
function runList(body: JsonObject, userId: string, state: SandboxState): string | Buffer {
  optionalFlag(body.forward); // validated only: the sandbox grants AGENT_TO_AGENT_CALL to everyone
  const quick = optionalFlag(body.quick);
  const idFilter = isAbsent(body.groupid) ? body.groupId : body.groupid;
  const id = isAbsent(idFilter) ? undefined : parseGroupId(idFilter, 1001);
  const name = parseNameFilter(body.name);

  if (id === undefined && name === undefined) return answerAll(userId, quick, state);
  const matches = filterGroups(state.groups.list(userId), id, name);
  return successWith(matches.length === 0 ? renderNothing(state) : renderGroupList(matches, quick, state.settings));
}

/** The unfiltered answer, encoded once and cached per user until their groups change (the benchmarks' hot path). */
function answerAll(userId: string, quick: boolean, state: SandboxState): string | Buffer {
  if (state.groups.count(userId) === 0) return successWith(renderNothing(state));
  const cache = state.groups.renderedListsOf(userId);
  const key = renderKey(quick, state.settings);
  let answer = cache.get(key);
  if (answer === undefined) {
    answer = Buffer.from(successWith(renderGroupList(state.groups.list(userId), quick, state.settings)));
    cache.set(key, answer);
  }
  return answer;
}

function successWith(responseJson: string): string {
  return `{"status":"success","response":${responseJson},"code":200}`;
}

function renderNothing(state: SandboxState): string {
  if (state.settings.emptyListAs === 'error-1012') throw new SandboxApiError(1012);
  return renderEmptyList(state.settings);
}

function parseNameFilter(value: unknown): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') throw new SandboxApiError(1001);
  return value.toLowerCase();
}

function filterGroups(
  groups: Iterable<SandboxGroup>,
  id: number | undefined,
  lowerName: string | undefined,
): SandboxGroup[] {
  const matches: SandboxGroup[] = [];
  for (const group of groups) {
    if (id !== undefined && group.id !== id) continue;
    if (lowerName !== undefined && !group.name.toLowerCase().includes(lowerName)) continue;
    matches.push(group);
  }
  return matches;
}

type RenderSettings = Pick<SandboxSettings, 'listShape' | 'idField' | 'idsAsStrings'>;

/** The JSON text of list's `response`, in the record shape the settings ask for. */
function renderGroupList(groups: Iterable<SandboxGroup>, quick: boolean, settings: RenderSettings): string {
  if (settings.listShape === 'array') {
    return JSON.stringify(Array.from(groups, (group) => renderRecord(group, quick, settings)));
  }
  const byId: Record<string, unknown> = {};
  for (const group of groups) byId[String(group.id)] = renderRecord(group, quick, settings);
  return JSON.stringify(byId);
}

/** The empty `response` when emptyListAs is 'empty'. */
function renderEmptyList(settings: RenderSettings): string {
  return settings.listShape === 'array' ? '[]' : '{}';
}

/** A key naming one rendering, for the per-user cache of unfiltered answers. */
function renderKey(quick: boolean, settings: RenderSettings): string {
  return `${quick ? 'quick' : 'full'}|${settings.listShape}|${settings.idField}|${settings.idsAsStrings}`;
}

function renderRecord(group: SandboxGroup, quick: boolean, settings: RenderSettings): Record<string, unknown> {
  const id = settings.idsAsStrings ? String(group.id) : group.id;
  if (quick) return { [settings.idField]: id, name: group.name };
  return {
    [settings.idField]: id,
    name: group.name,
    user_id: group.userId,
    status: group.status,
    create_date: group.createDate,
  };
}

/** True for a field the caller did not really send (absent, null or empty string). */
function isAbsent(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}

/** A group id as number or numeric string: absent -> `missingCode`, not a positive integer -> 1001. */
function parseGroupId(value: unknown, missingCode: number): number {
  if (isAbsent(value)) throw new SandboxApiError(missingCode);
  const id = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) throw new SandboxApiError(1001);
  return id;
}

/** The group name: missing, blank or not a string -> 1501. Stored trimmed. */
function requireName(body: JsonObject): string {
  const name = body.name;
  if (typeof name !== 'string' || name.trim() === '') throw new SandboxApiError(1501);
  return name.trim();
}

/** Update's status: documented default 1 when omitted; 0 or 1 as number or numeric string, else 1001. */
function parseStatus(value: unknown): 0 | 1 {
  if (value === undefined || value === null) return 1;
  if (value === 0 || value === '0') return 0;
  if (value === 1 || value === '1') return 1;
  throw new SandboxApiError(1001);
}

/** An optional boolean flag: absent/null -> false, a non-boolean -> 1001. */
function optionalFlag(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new SandboxApiError(1001);
  return value;
}
