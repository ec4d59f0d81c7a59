/** The upstream operations the sandbox answers; 'login' is the assumed ssid exchange. */
export type SandboxOp = 'add' | 'update' | 'delete' | 'list' | 'login';

export const SANDBOX_OPS: readonly SandboxOp[] = ['add', 'update', 'delete', 'list', 'login'];
