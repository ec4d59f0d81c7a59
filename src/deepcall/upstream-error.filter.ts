import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { upstreamProblem } from './upstream-error.mapper.js';
import { UpstreamError } from './upstream.error.js';
import { sendProblem } from '../core/problem/problem-responder.js';

/** A DeepCall failure becomes problem+json by the error table of docs/api-contract.md. */
@Catch(UpstreamError)
export class UpstreamErrorFilter implements ExceptionFilter<UpstreamError> {
  catch(error: UpstreamError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), upstreamProblem(error));
  }
}
