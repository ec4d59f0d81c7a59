import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { parseAuthorization, unauthorized } from './authorization-header.js';

/**
 * Refuses requests without a well-formed Authorization header. It does no I/O: the session is
 * resolved after validation (guards run before pipes), so invalid input never reaches upstream.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // Node keeps the first of duplicated Authorization headers and drops the rest silently;
    // two credentials in one request are ambiguous, so they are refused instead.
    if (countHeader(request.raw.rawHeaders, 'authorization') > 1)
      throw unauthorized('Send exactly one Authorization header.');
    request.presented = parseAuthorization(request.headers.authorization);
    return true;
  }
}

function countHeader(rawHeaders: string[], name: string): number {
  let count = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const header = rawHeaders[index];
    if (header.length === name.length && header.toLowerCase() === name) count += 1;
  }
  return count;
}
