import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CreateGroupDto } from './dto/create-group.dto.js';
import { GroupListDto } from './dto/group-list.dto.js';
import { GroupDto } from './dto/group.dto.js';
import { ListGroupsQueryDto } from './dto/list-groups.query.dto.js';
import { UpdateGroupDto } from './dto/update-group.dto.js';
import { GroupIdPipe } from './group-id.pipe.js';
import { CREATE_GROUP, DELETE_GROUP, GET_GROUP, LIST_GROUPS, UPDATE_GROUP } from './groups.api-docs.js';
import { GroupsService } from './groups.service.js';
import { ApiProblems } from '../core/openapi/api-problems.decorator.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { parseIdempotencyKey } from '../idempotency/idempotency-key.js';
import type { PresentedCredentials } from '../session/authorization-header.js';
import { AuthorizationGuard } from '../session/authorization.guard.js';
import { Presented } from '../session/presented.decorator.js';

const ID_PARAM = { name: 'id', description: 'The group id: a positive integer.', schema: { type: 'integer', minimum: 1, example: 28 } } as const;

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
    description: LIST_GROUPS,
  })
  @ApiProblems('/v1/groups', 'validation', 'unauthorized', 'methodNotAllowed', 'forbidden', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout')
  async list(@Query() query: ListGroupsQueryDto, @Presented() caller: PresentedCredentials): Promise<GroupListDto> {
    return { data: await this.groups.list(caller, query) };
  }

  /** One group by id. */
  @Get(':id')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    operationId: 'getGroup',
    summary: 'Get a group',
    description: GET_GROUP,
  })
  @ApiProblems('/v1/groups/28', 'validation', 'unauthorized', 'methodNotAllowed', 'forbidden', 'notFound', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout')
  get(@Param('id', GroupIdPipe) id: number, @Presented() caller: PresentedCredentials): Promise<GroupDto> {
    return this.groups.get(caller, id);
  }

  /**
   * Create a group. The answer is the group as DeepCall stored it: a duplicate name comes back
   * with the number DeepCall appended.
   */
  @Post()
  @ApiOperation({
    operationId: 'createGroup',
    summary: 'Create a group',
    description: CREATE_GROUP,
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, schema: { type: 'string', example: '0b9a3c1e-6d0f-4a8e-9e43-1f2d3c4b5a69' }, description: 'Repeat the same key with the same body to retry safely: the first answer is replayed, nothing is created twice.' })
  @ApiCreatedResponse({ type: GroupDto, description: 'Created', headers: { Location: { description: 'The new group: /v1/groups/{id}', schema: { type: 'string' } } } })
  @ApiProblems('/v1/groups', 'validation', 'malformedRequest', 'upstreamRejectedInput', 'unauthorized', 'methodNotAllowed', 'forbidden', 'idempotencyInFlight', 'payloadTooLarge', 'unsupportedMediaType', 'idempotencyKeyReused', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout')
  async create(
    @Body() body: CreateGroupDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Presented() caller: PresentedCredentials,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GroupDto> {
    const { answer, replayed } = await this.groups.create(caller, body.name, parseIdempotencyKey(idempotencyKey));
    reply.header('location', `/v1/groups/${answer.id}`);
    if (replayed) reply.header('idempotent-replayed', 'true');
    return answer;
  }

  /** Change a group's name or status; fields left out keep their current values. */
  @Patch(':id')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    operationId: 'updateGroup',
    summary: 'Update a group',
    description: UPDATE_GROUP,
  })
  @ApiProblems('/v1/groups/28', 'validation', 'malformedRequest', 'upstreamRejectedInput', 'unauthorized', 'methodNotAllowed', 'forbidden', 'notFound', 'payloadTooLarge', 'unsupportedMediaType', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout')
  update(@Param('id', GroupIdPipe) id: number, @Body() body: UpdateGroupDto, @Presented() caller: PresentedCredentials): Promise<GroupDto> {
    if (body.name === undefined && body.status === undefined) {
      throw new ProblemError('validation', 'Send at least one of name and status.', { errors: [{ field: 'body', message: 'at least one of name, status is required' }] });
    }
    return this.groups.update(caller, id, body);
  }

  /** Delete a group for good (DeepCall also removes its agent assignments). */
  @Delete(':id')
  @HttpCode(204)
  @ApiParam(ID_PARAM)
  @ApiOperation({
    operationId: 'deleteGroup',
    summary: 'Delete a group',
    description: DELETE_GROUP,
  })
  @ApiProblems('/v1/groups/28', 'validation', 'unauthorized', 'methodNotAllowed', 'forbidden', 'notFound', 'rateLimited', 'badGateway', 'unavailable', 'gatewayTimeout')
  async remove(@Param('id', GroupIdPipe) id: number, @Presented() caller: PresentedCredentials): Promise<void> {
    await this.groups.remove(caller, id);
  }
}
