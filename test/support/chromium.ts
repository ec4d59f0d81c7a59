import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium; playwright-core never downloads a browser here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** Requests the pages sent anywhere but 127.0.0.1 (the tests expect none). */
  offHostRequests: string[];
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile, watched for requests off 127.0.0.1. A missing
 * Chromium fails the test (it is never skipped): CI installs it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The browser tests need it: run \`apt-get install chromium\` (Debian; CI installs it).`,
    );
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'groups-bff-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 1000 },
  });
  const offHostRequests: string[] = [];
  // Observed, not intercepted: Playwright answers CORS preflights itself while routing is on,
  // which would hide exactly what the CORS test checks.
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.hostname !== '127.0.0.1') offHostRequests.push(request.url());
  });
  return {
    context,
    offHostRequests,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
