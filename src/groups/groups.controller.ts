import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiConsumes,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CreateGroupDto } from './dto/create-group.dto.js';
import { GroupListDto } from './dto/group-list.dto.js';
import { GroupDto } from './dto/group.dto.js';
import { ListGroupsQueryDto } from './dto/list-groups.query.dto.js';
import { UpdateGroupDto } from './dto/update-group.dto.js';
import { etagOf, noneMatchSatisfied, pageEtagOf } from './etag.js';
import { GROUP_ID_MAX, GroupIdPipe } from './group-id.pipe.js';
import { pageOf, readCursor } from './group-page.js';
import {
  CREATE_GROUP,
  DELETE_GROUP,
  GET_GROUP,
  IF_MATCH,
  IF_NONE_MATCH,
  IF_NONE_MATCH_PAGE,
  LIST_GROUPS,
  UPDATE_GROUP,
} from './groups.api-docs.js';
import { GroupsService } from './groups.service.js';
import { ApiProblems } from '../deepcall/upstream-error.mapper.js';
import { responseHeaders } from '../core/openapi/response-headers.js';
import { ProblemError } from '../core/problem/problem.error.js';
import {
  IDEMPOTENCY_KEY_MAX_LENGTH,
  IDEMPOTENCY_KEY_PATTERN,
  parseIdempotencyKey,
} from '../idempotency/idempotency-key.js';
import type { PresentedCredentials } from '../session/authorization-header.js';
import { AuthorizationGuard } from '../session/authorization.guard.js';
import { Presented } from '../session/presented.decorator.js';

const ID_PARAM = {
  name: 'id',
  description: 'The group id: a positive integer.',
  schema: { type: 'integer', minimum: 1, maximum: GROUP_ID_MAX, example: 28 },
} as const;

// The problems every DeepCall call can end in, and those of any request that carries a body
// (a DELETE may carry one too: Fastify reads it).
const UPSTREAM = [
  'upstreamRejectedInput',
  'unauthorized',
  'forbidden',
  'rateLimited',
  'badGateway',
  'unavailable',
  'gatewayTimeout',
] as const;
const BODY = ['malformedRequest', 'payloadTooLarge', 'unsupportedMediaType'] as const;

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
  @ApiHeader(IF_NONE_MATCH_PAGE)
  @ApiOkResponse({ type: GroupListDto, description: 'The page', headers: responseHeaders('ETag') })
  @ApiResponse({
    status: 304,
    description: 'Not modified: the page is the one your copy (If-None-Match) holds',
    headers: responseHeaders('ETag'),
  })
  @ApiProblems('/v1/groups', 'validation', ...UPSTREAM)
  async list(
    @Query() query: ListGroupsQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Presented() caller: PresentedCredentials,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GroupListDto | undefined> {
    const filters = { name: query.name, quick: query.quick, forward: query.forward };
    // A cursor is checked before DeepCall is asked: a bad one costs no upstream call.
    const afterId = query.cursor === undefined ? undefined : readCursor(query.cursor, filters);
    // DeepCall is asked every time: a 304 saves the front end the transfer and the render, not the call.
    const page = pageOf(await this.groups.list(caller, filters), filters, { limit: query.limit, afterId });
    const etag = pageEtagOf(page);
    reply.header('etag', etag);
    if (!noneMatchSatisfied(ifNoneMatch, etag)) return page;
    reply.status(304);
    return undefined;
  }

  /** One group by id. */
  @Get(':id')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    operationId: 'getGroup',
    summary: 'Get a group',
    description: GET_GROUP,
  })
  @ApiHeader(IF_NONE_MATCH)
  @ApiOkResponse({ type: GroupDto, description: 'The group', headers: responseHeaders('ETag') })
  @ApiResponse({
    status: 304,
    description: 'Not modified: your copy (If-None-Match) is current',
    headers: responseHeaders('ETag'),
  })
  @ApiProblems('/v1/groups/28', 'validation', 'notFound', ...UPSTREAM)
  async get(
    @Param('id', GroupIdPipe) id: number,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Presented() caller: PresentedCredentials,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GroupDto | undefined> {
    const group = await this.groups.get(caller, id);
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
    description: CREATE_GROUP,
  })
  // No example value: Swagger UI would pre-fill it, and a second create with another name would be a 422.
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH, pattern: IDEMPOTENCY_KEY_PATTERN },
    description:
      'A fresh key (a UUID, say) per new group; repeat the same key with the same body to retry safely: ' +
      'the first answer is replayed, nothing is created twice. 1 to 255 printable ASCII characters, ' +
      'optionally in double quotes.',
  })
  @ApiCreatedResponse({
    type: GroupDto,
    description: 'Created (or, with `Idempotent-Replayed: true`, the answer of an earlier request with the same key)',
    headers: responseHeaders('Location', 'ETag', 'Idempotent-Replayed'),
  })
  @ApiProblems(
    '/v1/groups',
    'validation',
    ...BODY,
    'idempotencyInFlight',
    'idempotencyOutcomeUnknown',
    'idempotencyKeyReused',
    ...UPSTREAM,
  )
  async create(
    @Body() body: CreateGroupDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Presented() caller: PresentedCredentials,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GroupDto> {
    const { answer, replayed } = await this.groups.create(caller, body.name, parseIdempotencyKey(idempotencyKey));
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
    description: UPDATE_GROUP,
  })
  @ApiHeader(IF_MATCH)
  @ApiConsumes('application/json', 'application/merge-patch+json')
  @ApiOkResponse({
    type: GroupDto,
    description: 'The group as stored after the change',
    headers: responseHeaders('ETag'),
  })
  @ApiProblems('/v1/groups/28', 'validation', ...BODY, 'notFound', 'preconditionFailed', ...UPSTREAM)
  async update(
    @Param('id', GroupIdPipe) id: number,
    @Body() body: UpdateGroupDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Presented() caller: PresentedCredentials,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GroupDto> {
    if (body.name === undefined && body.status === undefined) {
      throw new ProblemError('validation', 'Send at least one of name and status.', {
        errors: [{ field: 'body', message: 'at least one of name, status is required' }],
      });
    }
    const group = await this.groups.update(caller, id, body, ifMatch);
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
    description: DELETE_GROUP,
  })
  @ApiHeader(IF_MATCH)
  @ApiProblems('/v1/groups/28', 'validation', ...BODY, 'notFound', 'preconditionFailed', ...UPSTREAM)
  async remove(
    @Param('id', GroupIdPipe) id: number,
    @Headers('if-match') ifMatch: string | undefined,
    @Presented() caller: PresentedCredentials,
  ): Promise<void> {
    await this.groups.remove(caller, id, ifMatch);
  }
}
