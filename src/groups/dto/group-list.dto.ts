import { GroupDto } from './group.dto.js';

export class GroupListDto {
  /** The matching groups, by id; empty when none match. */
  data: GroupDto[];
}
