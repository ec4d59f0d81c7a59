import type { SandboxGroup } from './sandbox-group.js';
import type { SandboxSettings } from './sandbox-options.js';

type RenderSettings = Pick<SandboxSettings, 'listShape' | 'idField' | 'idsAsStrings'>;

/** The JSON text of list's `response`, in the record shape the settings ask for. */
export function renderGroupList(groups: Iterable<SandboxGroup>, quick: boolean, settings: RenderSettings): string {
  if (settings.listShape === 'array') {
    return JSON.stringify(Array.from(groups, (group) => renderRecord(group, quick, settings)));
  }
  const byId: Record<string, unknown> = {};
  for (const group of groups) byId[String(group.id)] = renderRecord(group, quick, settings);
  return JSON.stringify(byId);
}

/** The empty `response` when emptyListAs is 'empty'. */
export function renderEmptyList(settings: RenderSettings): string {
  return settings.listShape === 'array' ? '[]' : '{}';
}

/** A key naming one rendering, for the per-user cache of unfiltered answers. */
export function renderKey(quick: boolean, settings: RenderSettings): string {
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
