/** What authenticates a call upstream: the documented userId+token pair, or an exchanged ssid. */
export type UpstreamCredentials = { userId: string; token: string } | { ssid: string };
