import type { AddressInfo } from 'node:net';
import { startTestApp, TestApp, TestAppOptions } from './test-app.js';

export interface ListeningApp extends TestApp {
  /** e.g. http://127.0.0.1:40123 — a real socket, for a browser or fetch. */
  baseUrl: string;
}

/** The test app listening on a free port of 127.0.0.1 (front-end tests need real HTTP). */
export async function startListeningApp(options: TestAppOptions = {}): Promise<ListeningApp> {
  const t = await startTestApp(options);
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return { ...t, baseUrl: `http://127.0.0.1:${port}` };
}
