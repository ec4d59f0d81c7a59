import { IsGroupName } from './group-name.js';

export class CreateGroupDto {
  /**
   * The group's name: trimmed, 1 to 100 characters. DeepCall keeps names unique per account by
   * appending a number to a duplicate; the answer carries the name as stored.
   * @example "Sales Team"
   */
  @IsGroupName()
  name: string;
}
