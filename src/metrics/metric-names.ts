/** Every metric the service exports besides prom-client's process defaults. */
export const METRIC = {
  httpDuration: 'groups_bff_http_request_duration_seconds',
  upstreamDuration: 'groups_bff_deepcall_request_duration_seconds',
  sessionEvents: 'groups_bff_session_events_total',
  circuitState: 'groups_bff_deepcall_circuit_state',
  userQueueCalls: 'groups_bff_user_queue_calls',
  userQueueWait: 'groups_bff_user_queue_wait_seconds',
  userQueueRefused: 'groups_bff_user_queue_refused_total',
  storeKnownDown: 'groups_bff_session_store_known_down',
  storeSkipped: 'groups_bff_session_store_skipped_total',
  traceSpansDropped: 'groups_bff_trace_spans_dropped_total',
} as const;

export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
