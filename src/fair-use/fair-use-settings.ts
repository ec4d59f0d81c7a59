/**
 * The fair-use limits (docs/api-contract.md, "Fair use and abuse"), resolved from the configuration.
 * A class so that it is its own injection token (see app.module.ts, SettingsModule).
 */
export class FairUseSettings {
  loginMaxFailures: number;
  loginFailureWindowSeconds: number;
  loginMaxFailuresPerAddress: number;
  userMaxConcurrentCalls: number;
  userMaxQueuedCalls: number;
}
