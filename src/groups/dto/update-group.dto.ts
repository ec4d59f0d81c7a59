import { IsEnum, ValidateIf } from 'class-validator';
import { IsGroupName } from './group-name.js';
import { GroupStatus } from './group-status.js';
import { ApiSchemaRules } from '../../core/openapi/schema-rules.js';

/** Send at least one field; a field left out keeps its current value. */
@ApiSchemaRules({ minProperties: 1 })
export class UpdateGroupDto {
  /**
   * The new name: trimmed, then 1 to 100 characters without control characters (`pattern` states
   * the exact rule: JSON Schema cannot count after trimming).
   * @example "Sales Team EMEA"
   */
  @IsGroupName({ optional: true })
  name?: string;

  /**
   * `inactive` takes the group out of use for a while; `active` brings it back.
   * @example "inactive"
   */
  @ValidateIf((_object: object, value: unknown) => value !== undefined)
  @IsEnum(GroupStatus)
  status?: GroupStatus;
}
