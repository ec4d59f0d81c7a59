import type { SandboxOp } from './sandbox-op.js';

export type SandboxRoute =
  | { kind: 'op'; op: SandboxOp }
  | { kind: 'control'; path: string }
  | { kind: 'unknown' };

export const CONTROL_PREFIX = '/__sandbox';

const OP_PATHS: ReadonlyMap<string, SandboxOp> = new Map<string, SandboxOp>([
  ['/api/v2/group/add', 'add'],
  ['/api/v2/group/update', 'update'],
  ['/api/v2/group/delete', 'delete'],
  ['/api/v2/group/list', 'list'],
  ['/api/v2/user/login', 'login'],
]);

/** Where a request goes. Upstream's docs mix casing and trailing slashes, so both are ignored. */
export function routeOf(url: string | undefined): SandboxRoute {
  const path = normalisePath(url ?? '/');
  const op = OP_PATHS.get(path);
  if (op) return { kind: 'op', op };
  if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
    return { kind: 'control', path: path.slice(CONTROL_PREFIX.length) || '/' };
  }
  return { kind: 'unknown' };
}

function normalisePath(url: string): string {
  const queryAt = url.search(/[?#]/);
  const path = (queryAt < 0 ? url : url.slice(0, queryAt)).toLowerCase().replace(/\/+$/, '');
  return path === '' ? '/' : path;
}
