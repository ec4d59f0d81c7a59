import { SandboxInputError } from './sandbox-input-error.js';
import { SANDBOX_OPS, type SandboxOp } from './sandbox-op.js';
import { isIntegerIn } from './sandbox-options.js';

export type SandboxFaultMode = 'delay' | 'hang' | 'http-status' | 'reset' | 'non-json' | 'error-code' | 'rate-limit';

export interface SandboxFault {
  op?: SandboxOp | '*';
  mode: SandboxFaultMode;
  delayMs?: number;
  status?: number;
  code?: number;
  retryAfterSeconds?: number;
  /** How many matching requests it affects before it is removed; absent = until cleared. */
  times?: number;
}

/** A validated fault with every default filled in. */
export interface ActiveFault {
  op: SandboxOp | '*';
  mode: SandboxFaultMode;
  delayMs: number;
  status: number;
  code: number;
  retryAfterSeconds: number;
  times: number | undefined;
}

const MODES: readonly string[] = ['delay', 'hang', 'http-status', 'reset', 'non-json', 'error-code', 'rate-limit'];
const OPS: readonly string[] = [...SANDBOX_OPS, '*'];

/** Validates a fault as given by a test or over HTTP; throws SandboxInputError. */
export function toActiveFault(input: unknown): ActiveFault {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SandboxInputError('a fault must be an object');
  }
  const fault = input as Record<string, unknown>;
  if (!MODES.includes(fault.mode as string)) throw new SandboxInputError(`fault mode must be one of ${MODES.join(', ')}`);
  const op = fault.op ?? '*';
  if (!OPS.includes(op as string)) throw new SandboxInputError(`fault op must be one of ${OPS.join(', ')}`);
  if (fault.mode === 'delay' && fault.delayMs === undefined) throw new SandboxInputError('a delay fault needs delayMs');
  return {
    op: op as SandboxOp | '*',
    mode: fault.mode as SandboxFaultMode,
    delayMs: optionalInteger(fault, 'delayMs', 0, 0, 2_147_483_647),
    status: optionalInteger(fault, 'status', 503, 100, 599),
    code: optionalInteger(fault, 'code', 1009, 0, Number.MAX_SAFE_INTEGER),
    retryAfterSeconds: optionalInteger(fault, 'retryAfterSeconds', 1, 0, 86_400),
    times: fault.times === undefined ? undefined : optionalInteger(fault, 'times', 1, 1, Number.MAX_SAFE_INTEGER),
  };
}

function optionalInteger(fault: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const value = fault[key];
  if (value === undefined) return fallback;
  if (!isIntegerIn(value, min, max)) throw new SandboxInputError(`fault ${key} must be an integer ${min}..${max}`);
  return value;
}
