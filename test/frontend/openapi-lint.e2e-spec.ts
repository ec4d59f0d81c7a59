import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fetchLiveDocument, tempDir } from '../support/live-document.js';
import { bin, runTool } from '../support/run-tool.js';
import { startTestApp, TestApp } from '../support/test-app.js';

// Spectral (spectral:oas + the rules in .spectral.yaml) over the document the app serves.
interface SpectralResult {
  code: string;
  message: string;
  path: string[];
  severity: number;
}

let t: TestApp;
let doc: Record<string, any>;
const temp = tempDir('spectral');

beforeAll(async () => {
  t = await startTestApp();
  doc = await fetchLiveDocument(t);
});
afterAll(async () => {
  temp.remove();
  await t.close();
});

async function lint(document: unknown, name: string): Promise<SpectralResult[]> {
  const file = temp.file(`${name}.json`, JSON.stringify(document));
  const run = await runTool(bin('spectral'), [
    'lint',
    file,
    '--ruleset',
    '.spectral.yaml',
    '--format',
    'json',
    '--quiet',
  ]);
  try {
    return JSON.parse(run.stdout) as SpectralResult[];
  } catch {
    throw new Error(`spectral gave no JSON (exit ${run.code}): ${run.stderr || run.stdout}`);
  }
}

interface RedoclyReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string }[];
}

/** Redocly's `recommended` ruleset, as a generic tool nobody on this project configured. */
async function redocly(document: unknown, name: string): Promise<RedoclyReport> {
  const file = temp.file(`${name}.json`, JSON.stringify(document));
  const run = await runTool(bin('redocly'), ['lint', file, '--extends', 'recommended', '--format', 'json'], 120_000);
  try {
    return JSON.parse(run.stdout) as RedoclyReport;
  } catch {
    throw new Error(`redocly gave no JSON (exit ${run.code}): ${run.stderr || run.stdout}`);
  }
}

const readable = (results: SpectralResult[]) =>
  results.map(
    ({ code, severity, path, message }) =>
      `${['error', 'warning', 'info', 'hint'][severity]} ${code} at ${path.join('.')}: ${message}`,
  );

describe('OpenAPI lint', () => {
  it('finds no errors and no warnings in the live document', async () => {
    expect(readable(await lint(doc, 'live'))).toEqual([]);
  });

  it("applies this project's rules (a document breaking each one is reported)", async () => {
    const broken = structuredClone(doc);
    const create = broken.paths['/v1/groups'].post;
    delete create.description;
    delete create.operationId;
    create.responses['404'] = {
      description: 'Not found',
      content: { 'application/json': { schema: { type: 'object' } } },
    };
    const list = broken.paths['/v1/groups'].get;
    list.responses = { 200: list.responses['200'] };
    delete broken.components.schemas.GroupDto.properties.name.description;
    delete broken.components.schemas.GroupDto.properties.id.example;
    delete list.parameters[0].description;

    const codes = new Set((await lint(broken, 'broken')).map(({ code }) => code));
    for (const rule of [
      'bff-operation-id',
      'bff-operation-description',
      'bff-problem-content',
      'bff-operation-client-errors',
      'bff-schema-property-description',
      'bff-schema-property-example',
      'bff-parameter-description',
    ]) {
      expect({ rule, reported: codes.has(rule) }).toEqual({ rule, reported: true });
    }
  });
});

describe('Redocly recommended', () => {
  it('finds no errors in the live document', async () => {
    const report = await redocly(doc, 'redocly-live');
    expect(
      report.problems
        .filter(({ severity }) => severity === 'error')
        .map(({ ruleId, message }) => `${ruleId}: ${message}`),
    ).toEqual([]);
  }, 120_000);

  it('reports an operation without security (so the check above can fail)', async () => {
    const broken = structuredClone(doc);
    delete broken.paths['/v1/sessions'].post.security;
    const report = await redocly(broken, 'redocly-broken');
    expect(report.problems.filter(({ severity }) => severity === 'error').map(({ ruleId }) => ruleId)).toContain(
      'security-defined',
    );
  }, 120_000);
});
