import { Inject } from '@nestjs/common';

/** What the DeepCall module needs to know, resolved at start-up (the sandbox URL included). */
export interface DeepcallSettings {
  baseUrl: string;
  timeoutMs: number;
  /** REQUEST_DEADLINE_MS: what all the calls of one request share. */
  requestDeadlineMs: number;
  loginPath: string | undefined;
  loginSsidField: string;
  /** Consecutive upstream faults that open the circuit. */
  breakerThreshold: number;
  /** How long the circuit stays open before one trial call. */
  breakerCooldownMs: number;
}

export const DEEPCALL_SETTINGS = Symbol('DEEPCALL_SETTINGS');
export const InjectDeepcallSettings = (): ParameterDecorator => Inject(DEEPCALL_SETTINGS);
