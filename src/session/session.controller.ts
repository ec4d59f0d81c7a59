import { Body, Controller, Delete, Get, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { PresentedCredentials } from './authorization-header.js';
import { AuthorizationGuard } from './authorization.guard.js';
import { CreateSessionDto } from './dto/create-session.dto.js';
import { CurrentSessionDto } from './dto/current-session.dto.js';
import { SessionDto } from './dto/session.dto.js';
import { Presented } from './presented.decorator.js';
import { CREATE_SESSION, DELETE_CURRENT_SESSION, GET_CURRENT_SESSION } from './session.api-docs.js';
import { SessionService } from './session.service.js';
import { ApiProblems } from '../deepcall/upstream-error.mapper.js';

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
    description: CREATE_SESSION,
  })
  @ApiProblems('/v1/sessions', 'validation', ...BODY, 'upstreamRejectedInput', ...LOGIN)
  async create(@Body() body: CreateSessionDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionDto> {
    const session = await this.sessions.create(body.userId, body.token);
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
    description: GET_CURRENT_SESSION,
  })
  @ApiProblems('/v1/sessions/current', ...LOGIN)
  async current(
    @Presented() presented: PresentedCredentials,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CurrentSessionDto> {
    const current = await this.sessions.current(presented);
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
    description: DELETE_CURRENT_SESSION,
  })
  @ApiProblems('/v1/sessions/current', ...BODY, 'unauthorized', 'unavailable')
  async revoke(@Presented() presented: PresentedCredentials): Promise<void> {
    await this.sessions.revoke(presented);
  }
}
