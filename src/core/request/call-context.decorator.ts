import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CallContext } from '../../deepcall/deepcall.client.js';

/** What upstream calls made for this request carry along (the request id, for one). */
export const CallCtx = createParamDecorator((_: unknown, context: ExecutionContext): CallContext => {
  return { requestId: context.switchToHttp().getRequest<FastifyRequest>().id };
});
