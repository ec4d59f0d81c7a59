// F: the honest "best by hand" version of the service's hot routes, on bare node:http. Per request
// it does what the service does: parse Authorization, HMAC the Redis key, GETEX + AES-256-GCM
// open of the session record (or, for a cold Basic login, check it upstream and seal + SET a
// record, one login per key in flight), call DeepCall over keep-alive, map to {data: Group[]},
// answer with X-Request-Id and the same security headers, and write one JSON access-log line.
// Routes: GET /v1/groups, POST /v1/groups (add + read back), GET /health/ready.
// Env: FORWARDER_PORT, REDIS_URL, DEEPCALL_BASE_URL, SESSION_SECRET, REDIS_KEY_PREFIX,
// SESSION_TTL_SECONDS, SESSION_MAX_AGE_SECONDS, DEEPCALL_TIMEOUT_MS, LOG_LEVEL.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import pino from 'pino';
import { parseAuthorization, Sessions, StoreUnavailable } from './forwarder-session.mjs';
import { Upstream, UpstreamFailure } from './forwarder-upstream.mjs';

const env = process.env;
const sessions = new Sessions({
  redisUrl: env.REDIS_URL,
  secret: env.SESSION_SECRET,
  prefix: env.REDIS_KEY_PREFIX ?? 'groups-bff:',
  idleTtlMs: Number(env.SESSION_TTL_SECONDS ?? 1800) * 1000,
  maxAgeMs: Number(env.SESSION_MAX_AGE_SECONDS ?? 43200) * 1000,
  loginLockMs: Number(env.DEEPCALL_TIMEOUT_MS ?? 5000) + 1000,
});
const upstream = new Upstream(env.DEEPCALL_BASE_URL, Number(env.DEEPCALL_TIMEOUT_MS ?? 5000));
// Same logger library and level as the service, to stdout (the bench points stdout at /dev/null).
const log = pino({ level: env.LOG_LEVEL ?? 'info' });

const BODY_LIMIT = 16 * 1024;
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const CONTROL = /^\P{Cc}*$/u;
const WWW_AUTHENTICATE = 'Bearer realm="groups-bff", Basic realm="groups-bff", charset="UTF-8"';
// What @fastify/helmet adds to every service answer; a hand-written server would hard-code them.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self' 'unsafe-inline';script-src-attr 'none';style-src 'self' 'unsafe-inline';upgrade-insecure-requests",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

class Problem extends Error {
  constructor(status, slug, title, detail, extras = {}) {
    super(detail);
    Object.assign(this, { status, slug, title, extras });
  }
}
const unauthorized = (detail) => new Problem(401, 'unauthorized', 'Authentication required', detail);
const validation = (detail) => new Problem(400, 'validation-failed', 'Request validation failed', detail);

async function resolveCaller(authorization, requestId) {
  const presented = parseAuthorization(authorization);
  if (!presented) throw unauthorized('Send Authorization: Bearer <sessionId> or Basic base64(userId:token).');
  if (presented.scheme === 'bearer') {
    const record = await sessions.load(sessions.sessionKey(presented.sessionId));
    if (!record)
      throw unauthorized('The session is unknown, expired or revoked. Create a new one with POST /v1/sessions.');
    return record.credentials;
  }
  const { userId, token } = presented;
  const key = sessions.loginKey(userId, token);
  const record =
    (await sessions.load(key)) ??
    (await sessions.loginOnce(key, async () => {
      await upstream.verify(userId, token, requestId);
      return sessions.save(key, userId, token, { userId, token });
    }));
  return record.credentials;
}

function listFilter(search) {
  const filter = {};
  if (!search) return filter;
  for (const [key, value] of new URLSearchParams(search)) {
    if (key === 'quick' || key === 'forward') {
      if (value !== 'true' && value !== 'false') throw validation(`${key} must be true or false`);
      filter[key] = value === 'true';
    } else if (key === 'name') {
      filter.name = checkName(value);
    } else throw validation(`${key} is not an accepted field`);
  }
  return filter;
}

function checkName(value) {
  if (typeof value !== 'string') throw validation('name must be a string');
  const name = value.trim();
  if (name.length < 1 || name.length > 100) throw validation('name must be 1 to 100 characters after trimming');
  if (!CONTROL.test(name)) throw validation('name must not contain control characters');
  return name;
}

async function listGroups(req, search, requestId) {
  const filter = listFilter(search);
  const credentials = await resolveCaller(req.headers.authorization, requestId);
  const groups = await upstream.list(credentials, filter, requestId);
  const needle = filter.name?.toLowerCase();
  // An unpaged list: the whole list, and no next page (as the service answers without `limit`).
  return {
    data: needle === undefined ? groups : groups.filter((group) => group.name.toLowerCase().includes(needle)),
    next: null,
  };
}

async function createGroup(req, requestId) {
  if (!parseAuthorization(req.headers.authorization))
    throw unauthorized('Send Authorization: Bearer <sessionId> or Basic base64(userId:token).');
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    throw new Problem(415, 'unsupported-media-type', 'Unsupported media type', 'Send application/json.');
  const text = await readBody(req);
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Problem(400, 'malformed-request', 'Malformed request', 'The body is not valid JSON.');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw validation('The request body must be a JSON object.');
  for (const key of Object.keys(body)) if (key !== 'name') throw validation(`${key} is not an accepted field`);
  const name = checkName(body.name);
  const credentials = await resolveCaller(req.headers.authorization, requestId);
  const id = await upstream.add(credentials, name, requestId);
  const known = { id, name, status: 'active', createdAt: null };
  try {
    const groups = await upstream.list(credentials, { groupId: id, quick: false, forward: true }, requestId);
    return groups.find((group) => group.id === id) ?? known;
  } catch {
    return known; // created is never reported as a failure
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () =>
      size > BODY_LIMIT
        ? reject(new Problem(413, 'payload-too-large', 'Request body too large', 'The body is over 16 KiB.'))
        : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

function send(res, status, payload, requestId, extraHeaders, contentType = 'application/json; charset=utf-8') {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extraHeaders,
    'x-request-id': requestId,
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function toProblem(error) {
  if (error instanceof Problem) return error;
  if (error instanceof StoreUnavailable)
    return new Problem(
      503,
      'service-unavailable',
      'Service temporarily unavailable',
      'Sessions are temporarily unavailable.',
      { retryAfter: '1' },
    );
  if (error instanceof UpstreamFailure) {
    const upstreamCode = error.upstreamCode;
    if (error.status === 401)
      return new Problem(401, 'unauthorized', 'Authentication required', 'DeepCall refused the login.', {
        upstreamCode,
      });
    if (error.status === 504)
      return new Problem(
        504,
        'upstream-timeout',
        'DeepCall did not answer in time',
        'DeepCall did not answer in time.',
      );
    return new Problem(error.status, 'upstream-failed', 'DeepCall failed', 'DeepCall failed.', { upstreamCode });
  }
  log.error({ err: { name: error?.name, message: error?.message, stack: error?.stack } }, 'Unhandled error');
  return new Problem(500, 'internal-error', 'Internal server error', 'Something went wrong.');
}

async function handle(req, res) {
  const started = performance.now();
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  const queryAt = req.url.indexOf('?');
  const path = queryAt < 0 ? req.url : req.url.slice(0, queryAt);
  try {
    if (path === '/v1/groups' && req.method === 'GET') {
      send(res, 200, await listGroups(req, queryAt < 0 ? '' : req.url.slice(queryAt + 1), requestId), requestId);
    } else if (path === '/v1/groups' && req.method === 'POST') {
      const group = await createGroup(req, requestId);
      send(res, 201, group, requestId, { location: `/v1/groups/${group.id}` });
    } else if (path === '/health/ready' && req.method === 'GET') {
      await sessions.ping().catch(() => {
        throw new Problem(503, 'service-unavailable', 'Service temporarily unavailable', 'Redis is unreachable.');
      });
      send(res, 200, { status: 'ok' }, requestId);
      return; // probes are not logged, as in the service
    } else {
      throw new Problem(404, 'not-found', 'Not found', `No route ${req.method} ${path}.`);
    }
  } catch (error) {
    const problem = toProblem(error);
    const headers = {};
    if (problem.status === 401) headers['www-authenticate'] = WWW_AUTHENTICATE;
    if (problem.extras.retryAfter) headers['retry-after'] = problem.extras.retryAfter;
    const body = {
      type: `tag:groups-bff,2026:problem:${problem.slug}`,
      title: problem.title,
      status: problem.status,
      detail: problem.message,
      instance: path,
      requestId,
    };
    if (problem.extras.upstreamCode !== undefined) body.upstreamCode = problem.extras.upstreamCode;
    if (!res.headersSent)
      send(res, problem.status, body, requestId, headers, 'application/problem+json; charset=utf-8');
  }
  log.info(
    {
      requestId,
      req: { method: req.method, path },
      res: { statusCode: res.statusCode },
      responseTime: Math.round(performance.now() - started),
    },
    `${req.method} ${path} ${res.statusCode}`,
  );
}

const server = createServer((req, res) => void handle(req, res));
server.keepAliveTimeout = 72_000; // Fastify's default, so both keep client connections alike
server.listen(Number(env.FORWARDER_PORT ?? 3100), '127.0.0.1', () =>
  log.info(`forwarder listening on 127.0.0.1:${server.address().port}`),
);

function stop() {
  server.close();
  server.closeAllConnections?.();
  Promise.allSettled([upstream.close(), sessions.close()]).then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
