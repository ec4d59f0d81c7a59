import { ApiProperty } from '@nestjs/swagger';
import { GroupDto } from './group.dto.js';

export class GroupListDto {
  /** The matching groups, by id ascending; empty when none match. */
  data: GroupDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The cursor of the following page (send it as `cursor` with the same filters), or null on the last page and without `limit`.',
    example: 'djE6Mjg6SlE3dVVqRVZKQ0RpVlFTUQ',
  })
  next: string | null;
}
