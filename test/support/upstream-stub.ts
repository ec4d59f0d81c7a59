import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubAnswer {
  status?: number;
  body: unknown;
}

export interface UpstreamStub {
  url: string;
  /** Every request received (path, headers, body), in order. */
  received: { path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

/**
 * An independent DeepCall double: answers each request with whatever `answer` returns for its
 * path and body. For upstream shapes the sandbox does not produce.
 */
export async function startUpstreamStub(
  answer: (path: string, body: Record<string, unknown>) => StubAnswer,
): Promise<UpstreamStub> {
  const received: UpstreamStub['received'] = [];
  const server: Server = createServer(
    (request, response) =>
      void (async () => {
        const body = JSON.parse((await readBody(request)) || '{}') as Record<string, unknown>;
        const path = request.url ?? '';
        received.push({ path, headers: request.headers, body });
        const reply = answer(path, body);
        const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        response.writeHead(reply.status ?? 200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        });
        response.end(text);
      })(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
