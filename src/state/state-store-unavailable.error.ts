import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../core/problem/problem-responder.js';
import { ProblemError } from '../core/problem/problem.error.js';

/** The store did not answer in time; callers decide whether to serve without it. */
export class StateStoreUnavailableError extends Error {
  constructor(readonly operation: string) {
    super(`Session store unavailable during ${operation}`);
    this.name = 'StateStoreUnavailableError';
  }
}

/** One that no caller could serve around reaches the edge as a 503: retry in a second. */
@Catch(StateStoreUnavailableError)
export class StateStoreUnavailableFilter implements ExceptionFilter<StateStoreUnavailableError> {
  catch(error: StateStoreUnavailableError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const problem = new ProblemError('unavailable', undefined, {
      retryAfterSeconds: 1,
      logContext: { store: { operation: error.operation } },
    });
    sendProblem(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), problem);
  }
}
