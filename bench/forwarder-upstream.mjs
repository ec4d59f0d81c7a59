// F's DeepCall client: an undici Pool (keep-alive) and faithful copies of the service's envelope
// reading (deepcall-envelope.ts), list/add bodies (deepcall-groups.api.ts), the login check
// (deepcall-auth.api.ts) and record parsing (group-records.parser.ts, toGroupDto).
import { Pool } from 'undici';

const NO_DATA_FOUND = 1012;
const LOGIN_CHECK_FILTER = 'groups-bff:login-check:7f3c9a';
const ID_FIELDS = ['id', 'groupId', 'group_id', 'groupid'];
const DATE_FIELDS = ['create_date', 'created_at', 'createdAt', 'createDate'];

/** An upstream failure with what the HTTP answer needs; `status` is the status F answers with. */
export class UpstreamFailure extends Error {
  constructor(kind, status, upstreamCode) {
    super(kind);
    this.kind = kind;
    this.status = status;
    this.upstreamCode = upstreamCode;
  }
}

const UPSTREAM_FAULT_CODES = new Set([1009, 1010, 1032]);
const STATUS_FOR_CODE = {
  1014: 401,
  1020: 401,
  1015: 403,
  1039: 403,
  1503: 404,
  1000: 400,
  1001: 400,
  1501: 400,
  1502: 400,
};

/**
 * The service's resilience (upstream-resilience.ts, retry-budget.ts) by hand: a consecutive-fault
 * circuit breaker (5 faults open it for 5 s, then one trial call), and one jittered retry of a
 * read that failed in transit (or any call refused before it landed), within a 20 % budget.
 */
class Resilience {
  constructor({ threshold = 5, cooldownMs = 5000 } = {}) {
    Object.assign(this, { threshold, cooldownMs, faults: 0, openUntil: 0, tokens: 1 });
  }

  async execute(operation, attempt) {
    this.tokens = Math.min(this.tokens + 0.2, 11);
    try {
      return await this.guarded(attempt);
    } catch (error) {
      if (!(error instanceof UpstreamFailure) || !retryable(operation, error) || this.tokens < 1) throw error;
      this.tokens -= 1;
      await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 125));
      return this.guarded(attempt);
    }
  }

  async guarded(attempt) {
    if (this.faults >= this.threshold) {
      if (Date.now() < this.openUntil) throw new UpstreamFailure('circuit-open', 503);
      this.openUntil = Date.now() + this.cooldownMs; // half-open: this call is the trial
    }
    try {
      const result = await attempt();
      this.faults = 0;
      return result;
    } catch (error) {
      if (isFault(error) && ++this.faults >= this.threshold) this.openUntil = Date.now() + this.cooldownMs;
      throw error;
    }
  }
}

function isFault(error) {
  if (!(error instanceof UpstreamFailure)) return false;
  if (error.kind === 'application') return UPSTREAM_FAULT_CODES.has(error.upstreamCode);
  return (
    error.kind === 'timeout' ||
    error.kind === 'unreachable' ||
    error.kind === 'malformed' ||
    error.kind === 'http-status'
  );
}

function retryable(operation, error) {
  if (error.transportCode === 'ECONNREFUSED') return true;
  return (
    operation === 'list' &&
    (error.kind === 'unreachable' || (error.kind === 'http-status' && [502, 503, 504].includes(error.httpStatus)))
  );
}

export class Upstream {
  constructor(baseUrl, timeoutMs) {
    // Like the service's http.Agent (keep-alive, up to 512 sockets); undici opens them lazily.
    this.pool = new Pool(baseUrl, { connections: 512, pipelining: 1, keepAliveTimeout: 60_000 });
    this.timeoutMs = timeoutMs;
    this.resilience = new Resilience();
  }

  post(path, body, requestId) {
    return this.resilience.execute(path === '/api/v2/Group/list' ? 'list' : 'other', () =>
      this.attempt(path, body, requestId),
    );
  }

  async attempt(path, body, requestId) {
    let answer;
    try {
      const response = await this.pool.request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-request-id': requestId },
        body: JSON.stringify(body),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      answer = { status: response.statusCode, text: await response.body.text() };
    } catch (error) {
      const timedOut = error?.code === 'UND_ERR_HEADERS_TIMEOUT' || error?.code === 'UND_ERR_BODY_TIMEOUT';
      const failure = new UpstreamFailure(timedOut ? 'timeout' : 'unreachable', timedOut ? 504 : 502);
      failure.transportCode = error?.code;
      throw failure;
    }
    return readEnvelope(answer.status, answer.text);
  }

  /** Upstream's "no data found" (1012) and an empty answer both mean: no groups. */
  async list(credentials, filter, requestId) {
    const body = { ...credentials, forward: filter.forward ?? false };
    if (filter.quick !== undefined) body.quick = filter.quick;
    if (filter.name !== undefined) body.name = filter.name;
    if (filter.groupId !== undefined) body.groupid = String(filter.groupId);
    try {
      return parseGroupRecords((await this.post('/api/v2/Group/list', body, requestId)).response);
    } catch (error) {
      if (error instanceof UpstreamFailure && error.upstreamCode === NO_DATA_FOUND) return [];
      throw error;
    }
  }

  async add(credentials, name, requestId) {
    const answer = await this.post('/api/v2/Group/add', { ...credentials, name }, requestId);
    const groupId =
      typeof answer.groupId === 'string' && /^\d+$/.test(answer.groupId) ? Number(answer.groupId) : answer.groupId;
    if (typeof groupId !== 'number' || !Number.isSafeInteger(groupId) || groupId <= 0)
      throw new UpstreamFailure('malformed', 502);
    return groupId;
  }

  /** The service's login check without DEEPCALL_LOGIN_PATH: a quick, forward, name-filtered list. */
  async verify(userId, token, requestId) {
    await this.list({ userId, token }, { quick: true, forward: true, name: LOGIN_CHECK_FILTER }, requestId);
  }

  close() {
    return this.pool.close();
  }
}

function readEnvelope(httpStatus, rawBody) {
  if (httpStatus === 429) throw new UpstreamFailure('rate-limited', 429);
  let body;
  try {
    const value = JSON.parse(rawBody);
    body = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    body = undefined;
  }
  if (body?.status === 'error') {
    const code = typeof body.code === 'string' && /^\d+$/.test(body.code) ? Number(body.code) : body.code;
    if (!Number.isInteger(code)) throw new UpstreamFailure('malformed', 502);
    throw new UpstreamFailure('application', STATUS_FOR_CODE[code] ?? 502, code);
  }
  if (httpStatus < 200 || httpStatus > 299) {
    const failure = new UpstreamFailure('http-status', 502);
    failure.httpStatus = httpStatus;
    throw failure;
  }
  if (body?.status !== 'success') throw new UpstreamFailure('malformed', 502);
  return body;
}

/** group-records.parser.ts + toGroupDto: array or object keyed by id, to the API's Group. */
export function parseGroupRecords(response) {
  if (response === undefined || response === null || response === '') return [];
  if (Array.isArray(response)) return response.map((record) => toGroup(record, undefined));
  if (typeof response === 'object') return Object.entries(response).map(([key, record]) => toGroup(record, key));
  throw new UpstreamFailure('malformed', 502);
}

function toGroup(record, key) {
  if (record === null || typeof record !== 'object') throw new UpstreamFailure('malformed', 502);
  let rawId = key;
  for (const field of ID_FIELDS) {
    if (record[field] !== undefined) {
      rawId = record[field];
      break;
    }
  }
  const id = toId(rawId);
  if (id === undefined || typeof record.name !== 'string') throw new UpstreamFailure('malformed', 502);
  let rawDate;
  for (const field of DATE_FIELDS) {
    if (record[field]) {
      rawDate = record[field];
      break;
    }
  }
  const s = record.status;
  const inactive = s === 0 || s === '0' || s === false || s === 'inactive';
  return { id, name: record.name, status: inactive ? 'inactive' : 'active', createdAt: toIsoDate(rawDate) };
}

function toId(value) {
  const id = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

function toIsoDate(value) {
  if (typeof value === 'number' && Number.isFinite(value))
    return new Date(value < 1e11 ? value * 1000 : value).toISOString();
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const naive = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/.exec(text);
  const time = Date.parse(naive ? `${naive[1]}T${naive[2]}Z` : text);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
