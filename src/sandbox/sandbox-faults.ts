// Faults on demand: what a test can ask the sandbox to get wrong, and how each is acted out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as wait } from 'node:timers/promises';

import {
  errorEnvelope,
  isIntegerIn,
  SANDBOX_OPS,
  SandboxInputError,
  type SandboxOp,
  sendBody,
  sendJson,
} from './sandbox-wire.js';

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
const FAULT_OPS: readonly string[] = [...SANDBOX_OPS, '*'];

/** Validates a fault as given by a test or over HTTP; throws SandboxInputError. */
function toActiveFault(input: unknown): ActiveFault {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SandboxInputError('a fault must be an object');
  }
  const fault = input as Record<string, unknown>;
  if (!MODES.includes(fault.mode as string))
    throw new SandboxInputError(`fault mode must be one of ${MODES.join(', ')}`);
  const op = fault.op ?? '*';
  if (!FAULT_OPS.includes(op as string)) throw new SandboxInputError(`fault op must be one of ${FAULT_OPS.join(', ')}`);
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

function optionalInteger(
  fault: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = fault[key];
  if (value === undefined) return fallback;
  if (!isIntegerIn(value, min, max)) throw new SandboxInputError(`fault ${key} must be an integer ${min}..${max}`);
  return value;
}

/** The faults in force, oldest first: the oldest matching fault answers, so faults can be queued in sequence. */
export class SandboxFaultList {
  private faults: ActiveFault[] = [];

  add(fault: unknown): ActiveFault {
    const active = toActiveFault(fault);
    this.faults.push(active);
    return { ...active };
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault that applies to one request of `op`, used up by one if it is counted. */
  take(op: SandboxOp): ActiveFault | undefined {
    if (this.faults.length === 0) return undefined;
    const index = this.faults.findIndex((fault) => fault.op === '*' || fault.op === op);
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(index, 1);
    }
    return fault;
  }
}

const ERROR_PAGE = (status: number): string =>
  `<!DOCTYPE html>\n<html><head><title>${status} Error</title></head>` +
  `<body><h1>${status} Error</h1><p>The server could not handle the request.</p></body></html>\n`;

const MAINTENANCE_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>' +
  '<body><h1>We will be back soon</h1></body></html>\n';

/**
 * Acts out a fault. Resolves true when the request is dealt with (answered, dropped or left
 * hanging), false when it should now be answered normally (a delay that ran out).
 */
export async function actOutFault(
  fault: ActiveFault,
  req: IncomingMessage,
  res: ServerResponse,
  errorHttpStatus: number,
  closing: AbortSignal,
): Promise<boolean> {
  switch (fault.mode) {
    case 'delay':
      try {
        await wait(fault.delayMs, undefined, { signal: closing });
        return false;
      } catch {
        return true; // the sandbox is closing
      }
    case 'hang':
      return true; // never answer: close() or the client ends it
    case 'reset':
      req.socket.destroy();
      return true;
    case 'http-status':
      sendBody(res, fault.status, 'text/html; charset=utf-8', ERROR_PAGE(fault.status));
      return true;
    case 'non-json':
      sendBody(res, 200, 'text/html; charset=utf-8', MAINTENANCE_PAGE);
      return true;
    case 'error-code':
      sendJson(res, errorHttpStatus, errorEnvelope(fault.code));
      return true;
    case 'rate-limit':
      sendBody(res, 429, 'text/plain; charset=utf-8', 'Too Many Requests\n', {
        'Retry-After': String(fault.retryAfterSeconds),
      });
      return true;
  }
}
