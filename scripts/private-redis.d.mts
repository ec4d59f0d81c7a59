export interface PrivateRedis {
  url: string;
  port: number;
  pid: number | undefined;
  freeze(): boolean;
  thaw(): boolean;
  stop(): Promise<void>;
  shutdown(): Promise<void>;
}
export function freePort(): Promise<number>;
export function startPrivateRedis(
  port?: number,
  extraArgs?: string[],
  options?: { appendOnlyDir?: string },
): Promise<PrivateRedis>;
