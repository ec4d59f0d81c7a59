import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CreateGroupDto } from './dto/create-group.dto.js';
import { GroupListDto } from './dto/group-list.dto.js';
import { GroupDto } from './dto/group.dto.js';
import { ListGroupsQueryDto } from './dto/list-groups.query.dto.js';
import { UpdateGroupDto } from './dto/update-group.dto.js';
import { etagOf, noneMatchSatisfied } from './etag.js';
import { GroupIdPipe } from './group-id.pipe.js';
import { GroupsService } from './groups.service.js';
import { ApiProblems } from '../core/openapi/api-problems.decorator.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { CallCtx } from '../core/request/call-context.decorator.js';
import type { CallContext } from '../deepcall/deepcall.client.js';
import { parseIdempotencyKey } from '../idempotency/idempotency-key.js';
import type { PresentedCredentials } from '../session/authorization-header.js';
import { AuthorizationGuard } from '../session/authorization.guard.js';
import { Presented } from '../session/presented.decorator.js';

const ID_PARAM = { name: 'id', description: 'The group id: a positive integer.', schema: { type: 'integer', minimum: 1, example: 28 } } as const;
const ETAG_HEADER = { ETag: { description: 'Strong entity tag of this group (from its id, name and status): send it back as If-Match or If-None-Match.', schema: { type: 'string', example: '"kXh3fQ2vJ0bWm9PzL4sT8yNcRe1"' } } } as const;
const IF_MATCH = {
  name: 'If-Match',
  required: false,
  schema: { type: 'string' },
  description: 'The ETag you read: the write happens only if the group still carries it (else 412, nothing written). `*` matches any existing group.',
} as const;

@ApiTags('groups')
@ApiBearerAuth('session')
@ApiBasicAuth('deepcall-login')
@UseGuards(AuthorizationGuard)
@Controller('v1/groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  /** The caller's groups, optionally filtered by name. No match is an empty list, not an error. */
  @Get()
  @ApiOperation({
    operationId: 'listGroups',
    summary: 'List groups',
    description:
      'The groups of the logged-in account, as `{ "data": [...] }`. `name` keeps only the groups whose name contains that text, ignoring case; no match is `{ "data": [] }`, not an error. `quick=true` asks DeepCall for a lighter answer that may leave out status and creation date (`status` is then `active` and `createdAt` null). Query booleans are `true` or `false`, nothing else.',
  })
  @ApiProblems('/v1/groups', 'validation', 'unauthorized', 'forbidden', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout')
  async list(@Query() query: ListGroupsQueryDto, @Presented() caller: PresentedCredentials, @CallCtx() context: CallContext): Promise<GroupListDto> {
    return { data: await this.groups.list(caller, query, context) };
  }

  /** One group by id. */
  @Get(':id')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    operationId: 'getGroup',
    summary: 'Get a group',
    description: 'One group by its id. A group that does not exist or belongs to another account is a 404 (`type` ends in `:not-found`); an id that is not a positive integer is a 400 before DeepCall is asked. The answer carries an `ETag`; send it as `If-None-Match` to get a 304 with no body while your copy is current.',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, schema: { type: 'string' }, description: 'The ETag of your copy: 304 with no body while the group still carries it.' })
  @ApiOkResponse({ type: GroupDto, description: 'The group', headers: ETAG_HEADER })
  @ApiResponse({ status: 304, description: 'Not modified: your copy (If-None-Match) is current', headers: ETAG_HEADER })
  @ApiProblems('/v1/groups/28', 'validation', 'unauthorized', 'forbidden', 'notFound', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout')
  async get(
    @Param('id', GroupIdPipe) id: number,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Presented() caller: PresentedCredentials,
    @CallCtx() context: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GroupDto | undefined> {
    const group = await this.groups.get(caller, id, context);
    const etag = etagOf(group);
    reply.header('etag', etag);
    if (!noneMatchSatisfied(ifNoneMatch, etag)) return group;
    reply.status(304);
    return undefined;
  }

  /**
   * Create a group. The answer is the group as DeepCall stored it: a duplicate name comes back
   * with the number DeepCall appended.
   */
  @Post()
  @ApiOperation({
    operationId: 'createGroup',
    summary: 'Create a group',
    description:
      'Creates a group and answers it as DeepCall stored it, with `Location: /v1/groups/{id}`. DeepCall keeps names unique by appending a number to a duplicate, so show the `name` of the answer, not the one you sent. To retry safely after a lost answer, send an `Idempotency-Key` (a fresh UUID per new group): the same key and body within 24 hours replay the first answer (header `Idempotent-Replayed: true`) and create nothing; the same key with another body is a 422; while the first request may still be running, a 409 (`Retry-After`), never for longer than the request deadline. Exactly once whatever fails: after a timeout, a lost connection or a crashed replica, a retry with the key finds out from DeepCall whether the group was created and answers it (replayed) or creates it once. When it cannot tell (a group of the same name appeared at the same moment) it answers 409 `:idempotency-outcome-unknown` and creates nothing.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, schema: { type: 'string', example: '0b9a3c1e-6d0f-4a8e-9e43-1f2d3c4b5a69' }, description: 'Repeat the same key with the same body to retry safely: the first answer is replayed, nothing is created twice.' })
  @ApiCreatedResponse({
    type: GroupDto,
    description: 'Created (or, with `Idempotent-Replayed: true`, the answer of an earlier request with the same key)',
    headers: {
      Location: { description: 'The new group: /v1/groups/{id}', schema: { type: 'string' } },
      ...ETAG_HEADER,
      'Idempotent-Replayed': { description: '`true` when this answer replays an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
    },
  })
  @ApiProblems('/v1/groups', 'validation', 'malformedRequest', 'upstreamRejectedInput', 'unauthorized', 'forbidden', 'idempotencyInFlight', 'idempotencyOutcomeUnknown', 'payloadTooLarge', 'unsupportedMediaType', 'idempotencyKeyReused', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout')
  async create(
    @Body() body: CreateGroupDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Presented() caller: PresentedCredentials,
    @CallCtx() context: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GroupDto> {
    const { answer, replayed } = await this.groups.create(caller, body.name, context, parseIdempotencyKey(idempotencyKey));
    reply.header('location', `/v1/groups/${answer.id}`);
    reply.header('etag', etagOf(answer));
    if (replayed) reply.header('idempotent-replayed', 'true');
    return answer;
  }

  /** Change a group's name or status; fields left out keep their current values. */
  @Patch(':id')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    operationId: 'updateGroup',
    summary: 'Update a group',
    description: 'Renames a group, changes its status, or both: send at least one of `name` and `status`. Fields left out keep their current values. The answer is the group as stored after the change, with its new `ETag`. Send `If-Match` with the ETag you read to avoid overwriting someone else\'s change: if the group changed meanwhile the answer is 412 (`:precondition-failed`) and nothing is written.',
  })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: GroupDto, description: 'The group as stored after the change', headers: ETAG_HEADER })
  @ApiProblems('/v1/groups/28', 'validation', 'malformedRequest', 'upstreamRejectedInput', 'unauthorized', 'forbidden', 'notFound', 'preconditionFailed', 'payloadTooLarge', 'unsupportedMediaType', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout')
  async update(
    @Param('id', GroupIdPipe) id: number,
    @Body() body: UpdateGroupDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Presented() caller: PresentedCredentials,
    @CallCtx() context: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GroupDto> {
    if (body.name === undefined && body.status === undefined) {
      throw new ProblemError('validation', 'Send at least one of name and status.', { errors: [{ field: 'body', message: 'at least one of name, status is required' }] });
    }
    const group = await this.groups.update(caller, id, body, context, ifMatch);
    reply.header('etag', etagOf(group));
    return group;
  }

  /** Delete a group for good (DeepCall also removes its agent assignments). */
  @Delete(':id')
  @HttpCode(204)
  @ApiParam(ID_PARAM)
  @ApiOperation({
    operationId: 'deleteGroup',
    summary: 'Delete a group',
    description: 'Deletes a group for good; DeepCall also removes its agent assignments. Answers 204 with no body. A group that does not exist (any more) or belongs to another account is a 404. With `If-Match`, the group is deleted only if it still carries that ETag, else 412 and nothing is deleted.',
  })
  @ApiHeader(IF_MATCH)
  @ApiProblems('/v1/groups/28', 'validation', 'unauthorized', 'forbidden', 'notFound', 'preconditionFailed', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout')
  async remove(
    @Param('id', GroupIdPipe) id: number,
    @Headers('if-match') ifMatch: string | undefined,
    @Presented() caller: PresentedCredentials,
    @CallCtx() context: CallContext,
  ): Promise<void> {
    await this.groups.remove(caller, id, context, ifMatch);
  }
}
