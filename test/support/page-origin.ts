import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageOrigin {
  /** e.g. http://127.0.0.1:40124 — another port is another origin. */
  origin: string;
  close(): Promise<void>;
}

/** Serves an empty page on its own origin: where a front end's code runs in cross-origin tests. */
export async function startPageOrigin(): Promise<PageOrigin> {
  const server: Server = createServer((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>front end</title>');
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}
