import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

export type ReadBody = { text: string; tooLarge: false } | { tooLarge: true };

/**
 * Reads the whole request body. Past `limit` bytes the rest is drained and dropped, so the client
 * still gets an answer. Resolves undefined if the client goes away first.
 */
export function readRequestBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<ReadBody | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(size > limit ? { tooLarge: true } : { text: Buffer.concat(chunks).toString('utf8'), tooLarge: false });
    });
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(undefined)); // no-op if 'end' already resolved
  });
}
