// R: the minimal reference forwarder the service (B) is measured against: the hot path's least
// work per request and nothing more. HMAC the Bearer session id into a Redis key, GET the record,
// AES-256-GCM decrypt the upstream credentials, POST Group/list upstream over a keep-alive pool,
// map the records, answer JSON, write one access-log line. No security headers, no validation,
// no resilience: a floor below bench/forwarder.mjs (F), which mirrors everything B does.
// Its session record is its own: base64(iv[12] | tag[16] | ciphertext) of {"userId","token"}
// under HMAC-SHA256(SECRET, "enc"), at PREFIX + "fs:" + hex(HMAC-SHA256(SECRET, sessionId));
// the bench writes one per hot-path session (stack.mjs, writeReferenceSessions).
// Env: PORT, UPSTREAM (base URL), REDIS_PORT, PREFIX, SECRET. Prints "ready" when listening.
import { createDecipheriv, createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import { Redis } from 'ioredis';
import { Pool } from 'undici';

const secret = process.env.SECRET;
const encKey = createHmac('sha256', secret).update('enc').digest();
const redis = new Redis({ host: '127.0.0.1', port: Number(process.env.REDIS_PORT), enableAutoPipelining: true });
const upstream = new URL(process.env.UPSTREAM);
const pool = new Pool(upstream.origin, { connections: 64, keepAliveTimeout: 60000 });
const keyOf = (sessionId) => process.env.PREFIX + 'fs:' + createHmac('sha256', secret).update(sessionId).digest('hex');

function send(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function decrypt(b64) {
  const buf = Buffer.from(b64, 'base64');
  const d = createDecipheriv('aes-256-gcm', encKey, buf.subarray(0, 12));
  d.setAuthTag(buf.subarray(12, 28));
  return JSON.parse(Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8'));
}

const server = http.createServer(async (req, res) => {
  try {
    const path = req.url.split('?')[0];
    if (req.method !== 'GET' || path !== '/v1/groups') return send(res, 404, { status: 404 });
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ')) return send(res, 401, { status: 401 });
    const record = await redis.get(keyOf(auth.slice(7)));
    if (!record) return send(res, 401, { status: 401 });
    const { userId, token } = decrypt(record);
    const requestId = req.headers['x-request-id'] ?? randomUUID();
    const { statusCode, body } = await pool.request({
      path: '/api/v2/Group/list',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ userId, token }),
      headersTimeout: 5000,
      bodyTimeout: 5000,
    });
    const up = await body.json();
    if (statusCode !== 200 || up.status !== 'success') return send(res, 502, { status: 502 });
    const data = up.response.map((g) => ({
      id: Number(g.id),
      name: g.name,
      status: g.status === 0 ? 'inactive' : 'active',
      createdAt: g.create_date ? new Date(g.create_date.replace(' ', 'T') + 'Z').toISOString() : null,
    }));
    res.setHeader('x-request-id', requestId);
    send(res, 200, { data, next: null }); // the unpaged list of the paging contract
    // One access-log line per request, as a production service writes.
    process.stdout.write(
      JSON.stringify({ level: 30, time: Date.now(), reqId: requestId, method: 'GET', url: path, status: 200 }) + '\n',
    );
  } catch {
    send(res, 500, { status: 500 });
  }
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));

function stop() {
  server.close();
  server.closeAllConnections();
  Promise.allSettled([pool.close(), redis.quit()]).then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
