import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PresentedCredentials } from './authorization-header.js';
import { AuthorizationGuard } from './authorization.guard.js';
import { CreateSessionDto } from './dto/create-session.dto.js';
import { CurrentSessionDto } from './dto/current-session.dto.js';
import { SessionDto } from './dto/session.dto.js';
import { Presented } from './presented.decorator.js';
import { SessionService } from './session.service.js';
import { ApiProblems } from '../core/openapi/api-problems.decorator.js';
import { CallCtx } from '../core/request/call-context.decorator.js';
import type { CallContext } from '../deepcall/deepcall.client.js';

// A request that carries a body (a DELETE may: Fastify reads it) can be refused for it.
const BODY = ['malformedRequest', 'payloadTooLarge', 'unsupportedMediaType'] as const;
// What resolving Basic credentials can meet: a cold login goes to DeepCall.
const LOGIN = ['unauthorized', 'forbidden', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout'] as const;

@ApiTags('sessions')
@Controller('v1/sessions')
export class SessionController {
  constructor(private readonly sessions: SessionService) {}

  /**
   * Log in with a DeepCall account id and API token. The login is checked with DeepCall once;
   * the answer is a session id to send as `Authorization: Bearer <sessionId>` from then on.
   */
  @Post()
  @ApiOperation({
    operationId: 'createSession',
    security: [], // logging in needs no credentials
    summary: 'Log in: exchange a DeepCall login for a session',
    description:
      'Checks the DeepCall login (account id and API token) with DeepCall and answers a `sessionId`: send it as `Authorization: Bearer <sessionId>` on every other call. Bad credentials are a 401 at once. The session ends after a while without use (`expiresAt`, which each use moves forward) and after a maximum age in any case; a 401 later means: log in again. Keep the session id like a password.',
  })
  @ApiProblems('/v1/sessions', 'validation', ...BODY, 'upstreamRejectedInput', ...LOGIN)
  async create(@Body() body: CreateSessionDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionDto> {
    const session = await this.sessions.create(body.userId, body.token, { requestId: request.id });
    reply.header('cache-control', 'no-store');
    return session;
  }

  /** Who am I: the account behind the credentials, and until when the session works. */
  @Get('current')
  @UseGuards(AuthorizationGuard)
  @ApiBearerAuth('session')
  @ApiBasicAuth('deepcall-login')
  @ApiOperation({
    operationId: 'getCurrentSession',
    summary: 'Who am I: the current session',
    description:
      'The DeepCall account id the credentials belong to, and, for a Bearer session, when it ends if unused (`expiresAt`, moved forward by this call as by any use) and at the latest (`absoluteExpiresAt`). With Basic credentials both are null: there is no session to expire. A 401 means: log in again.',
  })
  @ApiProblems('/v1/sessions/current', ...LOGIN)
  async current(@Presented() presented: PresentedCredentials, @CallCtx() context: CallContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<CurrentSessionDto> {
    const current = await this.sessions.current(presented, context);
    reply.header('cache-control', 'no-store');
    return current;
  }

  /** Log out: the session (or the cached Basic login) stops working at once, on every replica. */
  @Delete('current')
  @HttpCode(204)
  @UseGuards(AuthorizationGuard)
  @ApiBearerAuth('session')
  @ApiBasicAuth('deepcall-login')
  @ApiOperation({
    operationId: 'deleteCurrentSession',
    summary: 'Log out: revoke the current session',
    description: 'Revokes the session in the `Authorization` header at once, on every server: later calls with it are a 401. With Basic credentials, forgets the cached login, so the next call logs in to DeepCall again. Answers 204 with no body.',
  })
  @ApiProblems('/v1/sessions/current', ...BODY, 'unauthorized', 'unavailable')
  async revoke(@Presented() presented: PresentedCredentials): Promise<void> {
    await this.sessions.revoke(presented);
  }
}
