import { IsGroupName } from './group-name.js';

export class CreateGroupDto {
  /**
   * The group's name: trimmed, then 1 to 100 characters without control characters. JSON Schema
   * cannot count after trimming, so `pattern` states the exact rule. DeepCall keeps names unique
   * per account by appending a number to a duplicate; the answer carries the name as stored.
   * @example "Sales Team"
   */
  @IsGroupName()
  name: string;
}
