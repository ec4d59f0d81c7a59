import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { parseAuthorization } from './authorization-header.js';

/**
 * Refuses requests without a well-formed Authorization header. It does no I/O: the session is
 * resolved after validation (guards run before pipes), so invalid input never reaches upstream.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    request.presented = parseAuthorization(request.headers.authorization);
    return true;
  }
}
