import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StateStoreUnavailableError } from './state-store-unavailable.error.js';
import { sendProblem } from '../core/problem/problem-responder.js';
import { ProblemError } from '../core/problem/problem.error.js';

/** A store failure that no caller could serve around: 503, retry in a second. */
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
