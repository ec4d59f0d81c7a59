import type { IncomingMessage } from 'node:http';

/** One DeepCall call made while serving a request, for its log line. */
export interface UpstreamCallRecord {
  operation: string;
  durationMs: number;
  outcome: string;
}

/** What the request's log line reports beyond method and status. */
export interface RequestTrace {
  /** The route template (`/v1/groups/:id`), never the raw path; undefined for unknown routes. */
  route: string | undefined;
  /** The client's address: the gateway's X-Forwarded-For entry when TRUST_PROXY trusts it. */
  clientIp: string | undefined;
  upstream: UpstreamCallRecord[];
  /** The client went away before its answer. */
  abandoned?: boolean;
}

type TracedMessage = IncomingMessage & { trace?: RequestTrace };

/** The trace kept on the raw request, where both Nest code and the request-log hook can reach it. */
export function traceOf(raw: IncomingMessage): RequestTrace {
  return ((raw as TracedMessage).trace ??= { route: undefined, clientIp: undefined, upstream: [] });
}
