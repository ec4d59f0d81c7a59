import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { IsGroupName } from './group-name.js';

// Query booleans accept exactly `true` and `false`; anything else stays as it is and fails.
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListGroupsQueryDto {
  /**
   * Only groups whose name contains this text, ignoring case (e.g. `sales`); leave it out for
   * all groups.
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
}
