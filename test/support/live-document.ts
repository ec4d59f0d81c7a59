import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestApp } from './test-app.js';

/** The document /docs-json serves, fetched from a running test app. */
export async function fetchLiveDocument(t: TestApp): Promise<Record<string, any>> {
  return (await t.http.get('/docs-json').expect(200)).body;
}

/** A private temp directory, removed by `remove()`. */
export function tempDir(label: string): { path: string; file(name: string, content?: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `groups-bff-${label}-`));
  return {
    path,
    file(name, content) {
      const file = join(path, name);
      if (content !== undefined) writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
