import { SandboxApiError } from './sandbox-api-error.js';
import { isAbsent, optionalFlag, parseGroupId } from './sandbox-body-fields.js';
import type { SandboxGroup } from './sandbox-group.js';
import type { JsonObject } from './sandbox-json-body.js';
import { renderEmptyList, renderGroupList, renderKey } from './sandbox-list-render.js';
import type { SandboxState } from './sandbox-state.js';

/** list `{forward?, quick?, groupid?|groupId?, name?}`: the caller's groups in id order, filtered. */
export function runList(body: JsonObject, userId: string, state: SandboxState): string | Buffer {
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

function filterGroups(groups: Iterable<SandboxGroup>, id: number | undefined, lowerName: string | undefined): SandboxGroup[] {
  const matches: SandboxGroup[] = [];
  for (const group of groups) {
    if (id !== undefined && group.id !== id) continue;
    if (lowerName !== undefined && !group.name.toLowerCase().includes(lowerName)) continue;
    matches.push(group);
  }
  return matches;
}
