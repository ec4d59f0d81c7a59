// F0, the mandated stack's floor: R's work through Nest, Fastify and @nestjs/axios, nothing else.
// Per request exactly what bench/reference-forwarder.mjs (R) does: HMAC the Bearer session id into
// a Redis key, GET the record, AES-256-GCM decrypt the upstream credentials, POST Group/list
// upstream, map the records, answer JSON with x-request-id, write one access-log line. But served
// by NestFactory on a plain FastifyAdapter (one controller, one @Get() route, @Headers and
// @Res({ passthrough: true })), calling upstream through @nestjs/axios' HttpService on the
// service's own undici adapter (dist/deepcall/undici-axios-adapter.js of the directory it runs in). No guards, pipes,
// interceptors, validation, swagger, helmet, metrics or resilience: what B pays above this is
// what its features cost; what this pays above R is what the stack itself costs.
// Same session records as R (same key, same sealing), same env: PORT, UPSTREAM (base URL),
// REDIS_PORT, PREFIX, SECRET. Prints "ready" when listening. Plain ESM: decorators are called as
// functions. Unknown routes get Nest's own 404 (its body, not R's `{"status":404}`).
import 'reflect-metadata';
import { createDecipheriv, createHmac, randomUUID } from 'node:crypto';
import { HttpModule, HttpService } from '@nestjs/axios';
import { Controller, Get, Headers, Inject, Module, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { Agent } from 'undici';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The adapter of the service under test: the bench starts F0 in its root (the repository, or a --ref build).
const adapterModule = pathToFileURL(join(process.cwd(), 'dist', 'deepcall', 'undici-axios-adapter.js')).href;
const { undiciAdapter } = await import(adapterModule);

const secret = process.env.SECRET;
const encKey = createHmac('sha256', secret).update('enc').digest();
const redis = new Redis({ host: '127.0.0.1', port: Number(process.env.REDIS_PORT), enableAutoPipelining: true });
const agent = new Agent({ connections: 64, keepAliveTimeout: 60000 });
const keyOf = (sessionId) => process.env.PREFIX + 'fs:' + createHmac('sha256', secret).update(sessionId).digest('hex');

function decrypt(b64) {
  const buf = Buffer.from(b64, 'base64');
  const d = createDecipheriv('aes-256-gcm', encKey, buf.subarray(0, 12));
  d.setAuthTag(buf.subarray(12, 28));
  return JSON.parse(Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8'));
}

class FloorController {
  constructor(http) {
    this.http = http;
  }

  async list(auth, requestId, res) {
    try {
      if (!auth?.startsWith('Bearer ')) return fail(res, 401);
      const record = await redis.get(keyOf(auth.slice(7)));
      if (!record) return fail(res, 401);
      const { userId, token } = decrypt(record);
      requestId ??= randomUUID();
      const answer = await this.http.axiosRef.request({
        method: 'post',
        url: '/api/v2/Group/list',
        data: JSON.stringify({ userId, token }),
        headers: { 'content-type': 'application/json', 'x-request-id': requestId },
        timeout: 5000,
      });
      const up = JSON.parse(answer.data);
      if (answer.status !== 200 || up.status !== 'success') return fail(res, 502);
      const data = up.response.map((g) => ({
        id: Number(g.id),
        name: g.name,
        status: g.status === 0 ? 'inactive' : 'active',
        createdAt: g.create_date ? new Date(g.create_date.replace(' ', 'T') + 'Z').toISOString() : null,
      }));
      res.header('x-request-id', requestId);
      // One access-log line per request, as R writes it (here just before Nest sends the answer).
      process.stdout.write(
        JSON.stringify({
          level: 30,
          time: Date.now(),
          reqId: requestId,
          method: 'GET',
          url: '/v1/groups',
          status: 200,
        }) + '\n',
      );
      return { data, next: null }; // the unpaged list of the paging contract
    } catch {
      return fail(res, 500);
    }
  }
}

/** R's error answers, `{"status":N}`, set on the Fastify reply rather than thrown. */
function fail(res, status) {
  res.status(status);
  return { status };
}

Inject(HttpService)(FloorController, undefined, 0);
Controller('v1/groups')(FloorController);
const list = Object.getOwnPropertyDescriptor(FloorController.prototype, 'list');
Get()(FloorController.prototype, 'list', list);
Headers('authorization')(FloorController.prototype, 'list', 0);
Headers('x-request-id')(FloorController.prototype, 'list', 1);
Res({ passthrough: true })(FloorController.prototype, 'list', 2);

class FloorModule {}
Module({
  imports: [
    HttpModule.register({
      baseURL: process.env.UPSTREAM,
      adapter: undiciAdapter(agent, { answerHeaders: [] }),
      transformRequest: [],
      transformResponse: [],
      responseType: 'text',
      validateStatus: () => true,
    }),
  ],
  controllers: [FloorController],
})(FloorModule);

const app = await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: false });
await app.listen(Number(process.env.PORT), '127.0.0.1');
console.log('ready');

function stop() {
  Promise.allSettled([app.close(), agent.close(), redis.quit()]).then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
