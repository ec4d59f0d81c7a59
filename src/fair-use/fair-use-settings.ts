import { Inject } from '@nestjs/common';

/** The fair-use limits (docs/api-contract.md, "Fair use and abuse"), resolved from the configuration. */
export interface FairUseSettings {
  loginMaxFailures: number;
  loginFailureWindowSeconds: number;
  loginMaxFailuresPerAddress: number;
  userMaxConcurrentCalls: number;
  userMaxQueuedCalls: number;
}

export const FAIR_USE_SETTINGS = Symbol('FAIR_USE_SETTINGS');
export const InjectFairUseSettings = (): ParameterDecorator => Inject(FAIR_USE_SETTINGS);
