import { Body, Controller, Delete, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { PresentedCredentials } from './authorization-header.js';
import { AuthorizationGuard } from './authorization.guard.js';
import { CreateSessionDto } from './dto/create-session.dto.js';
import { SessionDto } from './dto/session.dto.js';
import { Presented } from './presented.decorator.js';
import { SessionService } from './session.service.js';
import { ApiProblems } from '../core/openapi/api-problems.decorator.js';
import { CallCtx } from '../core/request/call-context.decorator.js';
import type { CallContext } from '../deepcall/deepcall.client.js';

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
    summary: 'Log in: exchange a DeepCall login for a session',
    description:
      'Checks the DeepCall login (account id and API token) with DeepCall and answers a `sessionId`: send it as `Authorization: Bearer <sessionId>` on every other call. Bad credentials are a 401 at once. The session ends after a while without use (`expiresAt`, which each use moves forward) and after a maximum age in any case; a 401 later means: log in again. Keep the session id like a password. Repeated rejected logins of one account (or from one address) are refused for a while with a 429 and `Retry-After`, without asking DeepCall; the same wrong credentials repeated are a 401 without asking DeepCall again.',
  })
  @ApiProblems('/v1/sessions', 'validation', 'malformedRequest', 'unauthorized', 'methodNotAllowed', 'forbidden', 'payloadTooLarge', 'unsupportedMediaType', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout')
  async create(@Body() body: CreateSessionDto, @CallCtx() context: CallContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionDto> {
    const session = await this.sessions.create(body.userId, body.token, context);
    reply.header('cache-control', 'no-store');
    return session;
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
  @ApiProblems('/v1/sessions/current', 'unauthorized', 'methodNotAllowed', 'unavailable')
  async revoke(@Presented() presented: PresentedCredentials): Promise<void> {
    await this.sessions.revoke(presented);
  }
}
