import { Body, Controller, Delete, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { PresentedCredentials } from './authorization-header.js';
import { AuthorizationGuard } from './authorization.guard.js';
import { CreateSessionDto } from './dto/create-session.dto.js';
import { SessionDto } from './dto/session.dto.js';
import { Presented } from './presented.decorator.js';
import { CREATE_SESSION, DELETE_CURRENT_SESSION } from './session.api-docs.js';
import { SessionService } from './session.service.js';
import { ApiProblems } from '../core/openapi/api-problems.decorator.js';

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
    description: CREATE_SESSION,
  })
  @ApiProblems('/v1/sessions', 'validation', 'malformedRequest', 'unauthorized', 'methodNotAllowed', 'forbidden', 'payloadTooLarge', 'unsupportedMediaType', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout')
  async create(@Body() body: CreateSessionDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionDto> {
    const session = await this.sessions.create(body.userId, body.token);
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
    description: DELETE_CURRENT_SESSION,
  })
  @ApiProblems('/v1/sessions/current', 'unauthorized', 'methodNotAllowed', 'unavailable')
  async revoke(@Presented() presented: PresentedCredentials): Promise<void> {
    await this.sessions.revoke(presented);
  }
}
