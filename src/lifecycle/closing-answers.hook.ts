import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import { ShutdownState } from './shutdown-state.js';
import { sendProblem } from '../core/problem/problem-responder.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { REQUEST_PLUMBING } from '../core/request/request-plumbing.plugin.js';

/** Another replica answers at once; the gateway may retry there. */
const RETRY_AFTER_SECONDS = 1;

/**
 * How a closing replica answers.
 *
 * A request that arrives after the application began to close (Redis and the upstream pool going)
 * is refused with a 503 problem+json with `Retry-After`, and its connection closed, rather than
 * served half-closed. Fastify's own closing answer is off (`return503OnClosing: false`): it is
 * bare JSON, without a request id or a log line.
 */
const closingAnswers: FastifyPluginCallback<{ state: ShutdownState }> = (fastify, { state }, done) => {
  fastify.addHook('onRequest', (request, reply, next) => {
    if (!state.closing) return next();
    reply.header('connection', 'close');
    const problem = new ProblemError('unavailable', 'This replica is shutting down. Retry the request.', {
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    });
    sendProblem(request, reply, problem);
  });
  // Once the server stops accepting, each answer closes its connection, so the connections end
  // cleanly instead of being closed under a request. Not while draining: the gateway is still
  // deciding, and a new connection per request only widens the window in which one can be reset.
  fastify.addHook('onSend', (_request, reply, _payload, next) => {
    if (state.stoppedAccepting) reply.header('connection', 'close');
    next();
  });
  done();
};

export const closingAnswersPlugin = fp(closingAnswers, {
  name: 'groups-bff-closing-answers',
  dependencies: [REQUEST_PLUMBING],
});
