import type { FastifyError, FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger as PinoLogger } from 'pino';
import { AllowedMethods } from './allowed-methods.js';
import { PROBLEM_CONTENT_TYPE, ProblemDetails } from '../problem/problem-details.js';
import { PROBLEM_KINDS, ProblemKind, problemType } from '../problem/problem-kinds.js';
import { ProblemError } from '../problem/problem.error.js';
import { sendProblem } from '../problem/problem-responder.js';
import { type RequestContext } from '../request/request-context.js';
import { pathOf } from '../request/request-path.js';
import { openRequestContext, REQUEST_PLUMBING, requestContextOfMessage } from '../request/request-plumbing.plugin.js';
import { newTraceId, traceFieldsOf } from '../../telemetry/server-span.js';

/** URLs longer than this are a 414; longer route parameters than this never reach a route. */
export const MAX_URL_LENGTH = 2048;

declare module 'fastify' {
  interface FastifyInstance {
    /** Where answers made outside Fastify's request cycle (408, 414 from the router) are logged. */
    frameworkAnswerLog?: PinoLogger;
  }
}

/**
 * Options of the HTTP server for the answers Fastify and Node make themselves: the whole
 * request must arrive within `requestTimeoutMs` (Node's requestTimeout), and the answers made
 * before or outside Fastify's request cycle are problem+json with X-Request-Id and a log line.
 */
export function frameworkAnswerOptions(requestTimeoutMs: number) {
  return {
    requestTimeout: requestTimeoutMs,
    // Node checks the deadline every connectionsCheckingInterval (30 s by default).
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(requestTimeoutMs / 4))),
    },
    clientErrorHandler: answerClientError,
    frameworkErrors: answerRouterError,
  };
}

/**
 * Answers made inside Fastify's request cycle: a URL over the limit is a 414, a known path with
 * a method it does not serve a 405 with Allow. Both before anything else runs for the request.
 */
const frameworkAnswers: FastifyPluginCallback<{ logger: PinoLogger }> = (fastify, { logger }, done) => {
  fastify.decorate('frameworkAnswerLog', logger);
  const allowed = new AllowedMethods(fastify);
  fastify.addHook('onRequest', (request, _reply, next) => {
    if (request.url.length > MAX_URL_LENGTH) return next(uriTooLong(request.url));
    if (request.routeOptions.url !== undefined) return next();
    const methods = allowed.of(pathOf(request.url));
    if (methods.length === 0) return next();
    next(
      new ProblemError(
        'methodNotAllowed',
        `${request.method} is not served here; this path serves ${methods.join(', ')}.`,
        { headers: { allow: methods.join(', ') } },
      ),
    );
  });
  done();
};

export const frameworkAnswersPlugin = fp(frameworkAnswers, {
  name: 'groups-bff-framework-answers',
  dependencies: [REQUEST_PLUMBING],
});

function uriTooLong(url: string): ProblemError {
  // The URL is not echoed back: the answer names where it went wrong, briefly.
  return new ProblemError('uriTooLong', `The URL is longer than ${MAX_URL_LENGTH} characters.`, {
    instance: pathOf(url).slice(0, 64),
  });
}

/** The router refused the URL (over-long parameter, bad escape) before any hook ran. */
function answerRouterError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const context = openRequestContext(request, reply);
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? uriTooLong(request.url)
      : new ProblemError('malformedRequest', 'The URL could not be read.', { instance: '/' });
  sendProblem(request, reply, problem);
  logAnswer(
    request.server.frameworkAnswerLog,
    context,
    request.id,
    request.method,
    problem.extras.instance!,
    problem.status,
  );
}

/**
 * Node's own refusals of a connection's request: the request timeout (408), headers too large
 * (431), unparsable HTTP (400). Written on the socket, which then closes.
 */
function answerClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const kind: ProblemKind =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'requestTimeout'
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 'headersTooLarge'
        : 'malformedRequest';
  // The request being received, if its headers arrived: Node keeps its response on the socket.
  const raw = (socket as Socket & { _httpMessage?: { req?: IncomingMessage } })._httpMessage?.req;
  const context = raw && requestContextOfMessage(raw);
  const requestId = context?.requestId ?? randomUUID();
  const instance = raw?.url && raw.url.length <= MAX_URL_LENGTH ? pathOf(raw.url) : '/';
  const { status, title } = PROBLEM_KINDS[kind];
  // Not the kind's usual detail for an unparsable request: there is no JSON body to check yet.
  const detail = kind === 'malformedRequest' ? 'The request could not be read.' : PROBLEM_KINDS[kind].detail;
  const traceId = context?.span.spanContext().traceId ?? newTraceId();
  const body: ProblemDetails = { type: problemType(kind), title, status, detail, instance, requestId, traceId };
  const text = JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(text)}`,
    `X-Request-Id: ${requestId}`,
    'Connection: close',
  ];
  if (socket.writable) socket.end(`${head.join('\r\n')}\r\n\r\n${text}`, () => socket.destroy());
  else socket.destroy();
  logAnswer(this.frameworkAnswerLog, context, requestId, raw?.method ?? '-', instance, status);
}

function logAnswer(
  logger: PinoLogger | undefined,
  context: RequestContext | undefined,
  requestId: string,
  method: string,
  path: string,
  status: number,
): void {
  logger?.info(
    { requestId, ...(context && traceFieldsOf(context.span)), req: { method, path }, res: { statusCode: status } },
    `${method} ${path} ${status}`,
  );
}
