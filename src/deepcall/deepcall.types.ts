// The shapes the deepcall feature hands to the rest of the service.

/** A group as read from DeepCall, normalised from whichever spelling upstream used. */
export interface DeepcallGroup {
  id: number;
  name: string;
  /** Undefined when upstream left it out (for example a `quick` list). */
  active: boolean | undefined;
  /** ISO-8601, or null when upstream sent no usable date. */
  createdAt: string | null;
}

/** What authenticates a call upstream: the documented userId+token pair, or an exchanged ssid. */
export type UpstreamCredentials = { userId: string; token: string } | { ssid: string };

/**
 * What the DeepCall module needs to know, resolved at start-up (the sandbox URL included).
 * A class so that it is its own injection token (see app.module.ts, SettingsModule).
 */
export class DeepcallSettings {
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
