import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';
import { IsGroupName } from './group-name.js';
import { CURSOR_PATTERN } from '../group-page.js';

const LIST_LIMIT_MAX = 1000;

// Query booleans accept exactly `true` and `false`; anything else stays as it is and fails.
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
// Query integers are plain decimal; anything else stays as it is and fails.
const toInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
const present = (_object: object, value: unknown) => value !== undefined;

export class ListGroupsQueryDto {
  /**
   * Only groups whose name contains this text, ignoring case (e.g. `sales`); leave it out for
   * all groups. Trimmed, then 1 to 100 characters without control characters (the pattern says so exactly).
   */
  @IsGroupName({ optional: true }) // no @example: Swagger UI would pre-fill it and Try it out would list a filtered view
  name?: string;

  /**
   * Ask DeepCall for its lighter answer. It may leave out status and creation date: status is
   * then reported as `active` (DeepCall's default) and `createdAt` as null.
   * @example false
   */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: '$property must be true or false' })
  quick?: boolean;

  /**
   * DeepCall's `forward` flag. When false (the default), DeepCall checks the account's
   * agent-to-agent call permission and may answer 403.
   * @example false
   */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: '$property must be true or false' })
  forward?: boolean;

  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 1,
    maximum: LIST_LIMIT_MAX,
    description:
      `At most this many groups per page (1 to ${LIST_LIMIT_MAX}); the answer's \`next\` fetches the following page. ` +
      'Leave it out for the whole list.',
  }) // no example: Swagger UI would pre-fill it and Try it out would show one page
  @ValidateIf(present)
  @Max(LIST_LIMIT_MAX, { message: `$property must be an integer from 1 to ${LIST_LIMIT_MAX}` })
  @Min(1, { message: `$property must be an integer from 1 to ${LIST_LIMIT_MAX}` })
  @IsInt({ message: `$property must be an integer from 1 to ${LIST_LIMIT_MAX}` })
  @Transform(toInteger)
  limit?: number;

  @ApiProperty({
    required: false,
    type: 'string',
    pattern: CURSOR_PATTERN,
    description:
      'The `next` of the previous page, unchanged, sent with the same `name`, `quick` and `forward`. ' +
      'Opaque: a cursor the service did not issue, or one from a list with other filters, is a 400.',
  })
  @ValidateIf(present)
  @Matches(new RegExp(CURSOR_PATTERN), { message: '$property must be the next value of a page of this list' })
  cursor?: string;
}
