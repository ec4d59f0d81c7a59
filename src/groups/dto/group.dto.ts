import { ApiProperty } from '@nestjs/swagger';
import { GroupStatus } from './group-status.js';

export class GroupDto {
  /**
   * DeepCall's id of the group.
   * @example 28
   */
  @ApiProperty({ type: 'integer' })
  id: number;

  /**
   * The name as DeepCall stores it (possibly with a number appended to keep it unique).
   * @example "Sales Team"
   */
  name: string;

  /**
   * Whether the group is in use.
   * @example "active"
   */
  status: GroupStatus;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When DeepCall created the group (read as UTC), or null when DeepCall did not say.',
    example: '2024-10-10T12:42:13.000Z',
  })
  createdAt: string | null;
}
