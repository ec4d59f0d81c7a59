// `npm run openapi [file]`: writes the OpenAPI document of record (default: openapi.json at the
// repo root) from the compiled app, so it is exactly what /docs-json serves. Needs `nest build`
// first; needs no environment: the in-process sandbox and session store stand in for DeepCall
// and Redis, which are never called. PUBLIC_BASE_URL, when set, becomes the document's server.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = resolve(process.argv[2] ?? resolve(root, 'openapi.json'));

const { buildApp } = await import(pathToFileURL(`${root}/dist/bootstrap.js`).href);
const { loadConfig } = await import(pathToFileURL(`${root}/dist/config/load-config.js`).href);
const { buildOpenApiDocument } = await import(pathToFileURL(`${root}/dist/core/openapi/swagger.setup.js`).href);

const config = loadConfig({
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL,
});
const { app } = await buildApp(config);
try {
  const document = buildOpenApiDocument(app, { publicBaseUrl: config.http.publicBaseUrl });
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`OpenAPI document written to ${target}`);
} finally {
  await app.close();
}
