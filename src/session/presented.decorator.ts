import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { PresentedCredentials } from './authorization-header.js';

/** The credentials AuthorizationGuard accepted. Use only on guarded routes. */
export const Presented = createParamDecorator((_: unknown, context: ExecutionContext): PresentedCredentials => {
  return context.switchToHttp().getRequest<FastifyRequest>().presented!;
});
