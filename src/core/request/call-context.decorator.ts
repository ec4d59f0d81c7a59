import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { traceOf } from './request-trace.js';
import { CallContext } from '../../deepcall/deepcall.client.js';

/** What upstream calls made for this request carry along (the request id, for one). */
export const CallCtx = createParamDecorator((_: unknown, context: ExecutionContext): CallContext => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const trace = traceOf(request.raw);
  return { requestId: request.id, trace, receivedAt: trace.receivedAt };
});
