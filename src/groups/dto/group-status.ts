export enum GroupStatus {
  Active = 'active',
  Inactive = 'inactive',
}
