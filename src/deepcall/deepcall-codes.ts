/**
 * What this service knows of DeepCall's vocabulary, in one place: the operations it calls and
 * the error codes it acts on (docs/deepcall-upstream.md, "Error codes").
 */

/** The operations, as they are named in metrics, logs, the trace and UpstreamError. */
export type DeepcallOperation = 'add' | 'update' | 'delete' | 'list' | 'login';

/** The Group module's endpoints; the login endpoint is configured (DEEPCALL_LOGIN_PATH). */
export const GROUP_PATHS = {
  add: '/api/v2/Group/add',
  update: '/api/v2/Group/update',
  delete: '/api/v2/Group/delete',
  list: '/api/v2/Group/list',
} as const satisfies Record<Exclude<DeepcallOperation, 'login'>, string>;

/** Operations that change nothing upstream, so a repeat is harmless. */
export const READ_OPERATIONS: ReadonlySet<DeepcallOperation> = new Set(['list']);

/** Codes shared by every DeepCall module. */
export const DeepcallCode = {
  /** Invalid parameters; "sometimes also used for bad authentication" (at login, it is that). */
  invalidParameters: 1000,
  invalidDataType: 1001,
  /** Something went wrong: a fault of DeepCall itself. */
  somethingWentWrong: 1009,
  /** Database connection error: a fault of DeepCall itself. */
  databaseError: 1010,
  /** No data found: for a list, the same as an empty answer. */
  noDataFound: 1012,
  /** Invalid or expired token or ssid. */
  invalidCredentials: 1014,
  permissionDenied: 1015,
  tokenNotProvided: 1020,
  /** Internal server error: a fault of DeepCall itself. */
  internalError: 1032,
  accountSuspended: 1039,
} as const;

/** Codes of the Group module: from 1501 up, other modules reuse the numbers with other meanings. */
export const GroupCode = {
  nameRequired: 1501,
  groupIdRequired: 1502,
  /** The group does not exist or belongs to another account. */
  notFound: 1503,
} as const;

/** DeepCall's own faults: they count against the circuit breaker. */
export const UPSTREAM_FAULT_CODES: ReadonlySet<number> = new Set([
  DeepcallCode.somethingWentWrong,
  DeepcallCode.databaseError,
  DeepcallCode.internalError,
]);
