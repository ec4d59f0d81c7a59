/** One stored group, as the sandbox keeps it (rendered to upstream's snake_case on the wire). */
export interface SandboxGroup {
  id: number;
  name: string;
  userId: string;
  status: 0 | 1;
  /** `YYYY-MM-DD HH:mm:ss`, UTC. */
  createDate: string;
}

export function formatCreateDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
