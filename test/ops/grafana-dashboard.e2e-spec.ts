// Keeps ops/grafana/groups-bff.dashboard.json honest: it must be an importable-looking Grafana
// dashboard, and every metric, label and label value its queries select on must be something the
// real service exports at GET /metrics. A renamed metric or label breaks this test, not a panel
// that silently shows "No data" during an incident.
// Paths are relative to the repository root (process.cwd()), as in dockerfile.spec.ts.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRIC } from '../../src/metrics/metric-names.js';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';

const DASHBOARD_FILE = join(process.cwd(), 'ops/grafana/groups-bff.dashboard.json');

interface Target {
  expr?: string;
  refId?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id?: number;
  type?: string;
  title?: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: Target[];
  panels?: Panel[];
  fieldConfig?: { defaults?: { unit?: string; mappings?: ValueMapping[] } };
}
interface ValueMapping {
  type: string;
  options: Record<string, { text?: string; color?: string }>;
}
interface Variable {
  name: string;
  type: string;
  query?: string | { query?: string };
  definition?: string;
  datasource?: { type?: string; uid?: string };
}
interface Dashboard {
  title?: string;
  uid?: string;
  schemaVersion?: number;
  panels?: Panel[];
  templating?: { list?: Variable[] };
  __inputs?: { name: string; type: string; pluginId: string }[];
}

// ───────────────────────────── the dashboard and its PromQL

const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;

/** Every panel, rows and panels nested in collapsed rows included. */
function allPanels(panels: Panel[] = dashboard.panels ?? []): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}
const graphPanels = (): Panel[] => allPanels().filter((panel) => panel.type !== 'row');
const variables = (): Variable[] => dashboard.templating?.list ?? [];

/** Every PromQL expression: panel targets and query variables. */
function expressions(): { where: string; expr: string }[] {
  const fromPanels = graphPanels().flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      where: `panel "${panel.title}" ${target.refId}`,
      expr: target.expr ?? '',
    })),
  );
  const fromVariables = variables()
    .filter((variable) => variable.type === 'query')
    .map((variable) => ({
      where: `variable $${variable.name}`,
      expr: typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? variable.definition ?? ''),
    }));
  return [...fromPanels, ...fromVariables];
}

/** Labels Prometheus attaches to every scraped series; the service itself never exports them. */
const TARGET_LABELS = new Set(['job', 'instance']);
const METRIC_PREFIXES = ['groups_bff_', 'process_', 'nodejs_'];
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;

/** Metric names in an expression: identifiers with a service or prom-client default prefix, outside strings. */
function metricNames(expr: string): string[] {
  const code = expr.replace(STRING_LITERAL, '""');
  const identifiers = code.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(identifiers.filter((name) => METRIC_PREFIXES.some((prefix) => name.startsWith(prefix))))];
}

interface Matcher {
  metric: string;
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** Label matchers written directly on a metric: `name{label="value", ...}`. */
function matchers(expr: string): Matcher[] {
  const found: Matcher[] = [];
  for (const selector of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g)) {
    for (const m of selector[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)) {
      found.push({ metric: selector[1], label: m[1], op: m[2] as Matcher['op'], value: m[3].replace(/\\(.)/g, '$1') });
    }
  }
  return found;
}

/** The text of the parenthesised group that opens at `open`. */
function balancedFrom(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '(') depth += 1;
    if (text[i] === ')' && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error(`unbalanced parentheses in ${text}`);
}

/** The text of the parenthesised group that closes just before `end` (whitespace allowed). */
function balancedBefore(text: string, end: number): string {
  let close = end - 1;
  while (close >= 0 && /\s/.test(text[close])) close -= 1;
  if (text[close] !== ')') throw new Error(`expected ")" before position ${end} in ${text}`);
  let depth = 0;
  for (let i = close; i >= 0; i -= 1) {
    if (text[i] === ')') depth += 1;
    if (text[i] === '(' && --depth === 0) return text.slice(i, close + 1);
  }
  throw new Error(`unbalanced parentheses in ${text}`);
}

/**
 * Label lists of `by (...)`/`without (...)` with the metrics they aggregate (the argument of the
 * aggregation, prefix or postfix form), and of `on (...)`/`ignoring (...)`/`group_left/right
 * (...)` with every metric in the expression.
 */
function groupings(expr: string): { clause: string; labels: string[]; metrics: string[] }[] {
  const code = expr.replace(STRING_LITERAL, '""');
  return [...code.matchAll(/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)].map((m) => {
    const labels = m[2]
      .split(',')
      .map((label) => label.trim())
      .filter(Boolean);
    let scope = code;
    if (m[1] === 'by' || m[1] === 'without') {
      const after = m.index + m[0].length;
      scope = /^\s*\(/.test(code.slice(after))
        ? balancedFrom(code, code.indexOf('(', after))
        : balancedBefore(code, m.index);
    }
    return { clause: m[0], labels, metrics: metricNames(scope) };
  });
}

/** `$name` and `${name}` references, Grafana's own `$__...` built-ins left out. */
function variableReferences(text: string): string[] {
  return [...text.matchAll(/\$\{?([a-zA-Z_][a-zA-Z0-9_]*)/g)].map((m) => m[1]).filter((name) => !name.startsWith('__'));
}

// ───────────────────────────── the service's /metrics

/** series name → label name → values seen, parsed from the Prometheus text format. */
type Exposition = Map<string, Map<string, Set<string>>>;

function parseExposition(text: string): Exposition {
  const series: Exposition = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? \S+$/.exec(line);
    if (!m) throw new Error(`unparseable /metrics line: ${line}`);
    const labels = series.get(m[1]) ?? new Map<string, Set<string>>();
    series.set(m[1], labels);
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      const values = labels.get(pair[1]) ?? new Set<string>();
      labels.set(pair[1], values);
      values.add(pair[2].replace(/\\(.)/g, '$1'));
    }
  }
  return series;
}

/** PromQL regex matchers are fully anchored. */
const promRegex = (source: string): RegExp => new RegExp(`^(?:${source})$`);

function circuitMappings(panel: Panel): Record<string, { text?: string; color?: string }> {
  const mappings = panel.fieldConfig?.defaults?.mappings ?? [];
  return Object.assign(
    {},
    ...mappings.filter((mapping) => mapping.type === 'value').map((mapping) => mapping.options),
  ) as Record<string, { text?: string; color?: string }>;
}
const panelsOn = (metric: string): Panel[] =>
  graphPanels().filter((panel) =>
    (panel.targets ?? []).some((target) => metricNames(target.expr ?? '').includes(metric)),
  );
const circuitValue = (text: string): string => /^groups_bff_deepcall_circuit_state (\S+)$/m.exec(text)?.[1] ?? 'absent';

// ───────────────────────────── tests

describe('the Grafana dashboard file', () => {
  it('is a dashboard with a title, a uid and a schema version Grafana 10.4+ imports', () => {
    expect(dashboard.title).toEqual(expect.stringMatching(/\S/));
    expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(graphPanels().length).toBeGreaterThanOrEqual(10);
  });

  it('gives every panel a unique id and a place on the grid that no other panel takes', () => {
    const ids = allPanels().map((panel) => panel.id);
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);

    const taken = new Map<string, string>();
    const clashes: string[] = [];
    for (const panel of allPanels()) {
      const grid = panel.gridPos;
      expect(grid).toBeDefined();
      expect(grid!.x + grid!.w).toBeLessThanOrEqual(24);
      for (let x = grid!.x; x < grid!.x + grid!.w; x += 1) {
        for (let y = grid!.y; y < grid!.y + grid!.h; y += 1) {
          const other = taken.get(`${x},${y}`);
          if (other) clashes.push(`"${panel.title}" overlaps "${other}"`);
          taken.set(`${x},${y}`, panel.title ?? '');
        }
      }
    }
    expect([...new Set(clashes)]).toEqual([]);
  });

  it('gives every panel queries with an expression, a unit and a description of what to look for', () => {
    for (const panel of graphPanels()) {
      const where = `panel "${panel.title}"`;
      expect({ where, hasTargets: (panel.targets?.length ?? 0) > 0 }).toEqual({ where, hasTargets: true });
      for (const target of panel.targets!)
        expect({ where, refId: target.refId, expr: target.expr?.trim() }).toEqual({
          where,
          refId: target.refId,
          expr: expect.stringMatching(/\S/),
        });
      const refIds = panel.targets!.map((target) => target.refId);
      expect({ where, refIds: new Set(refIds).size }).toEqual({ where, refIds: refIds.length });
      expect({ where, unit: panel.fieldConfig?.defaults?.unit }).toEqual({ where, unit: expect.stringMatching(/\S/) });
      expect({ where, description: (panel.description ?? '').length > 20 }).toEqual({ where, description: true });
    }
  });

  it('points every panel and query at a Prometheus data source the importer chooses', () => {
    const chosen = (uid: string | undefined): boolean => {
      const name = /^\$\{?([a-zA-Z0-9_]+)\}?$/.exec(uid ?? '')?.[1];
      if (!name) return false;
      const variable = variables().find((candidate) => candidate.name === name);
      if (variable) return variable.type === 'datasource' && variable.query === 'prometheus';
      return (dashboard.__inputs ?? []).some(
        (input) => input.name === name && input.type === 'datasource' && input.pluginId === 'prometheus',
      );
    };
    const references = [
      ...graphPanels().map((panel) => ({ where: `panel "${panel.title}"`, ref: panel.datasource })),
      ...graphPanels().flatMap((panel) =>
        (panel.targets ?? []).map((target) => ({
          where: `panel "${panel.title}" ${target.refId}`,
          ref: target.datasource,
        })),
      ),
      ...variables()
        .filter((variable) => variable.type === 'query')
        .map((variable) => ({ where: `variable $${variable.name}`, ref: variable.datasource })),
    ];
    for (const { where, ref } of references) {
      expect({ where, type: ref?.type, chosen: chosen(ref?.uid) }).toEqual({ where, type: 'prometheus', chosen: true });
    }
  });

  it('only uses template variables it defines', () => {
    const defined = new Set(variables().map((variable) => variable.name));
    const used = expressions().flatMap(({ where, expr }) => variableReferences(expr).map((name) => ({ where, name })));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter(({ name }) => !defined.has(name))).toEqual([]);
  });

  it('charts every metric the service defines', () => {
    const used = new Set(
      expressions().flatMap(({ expr }) => metricNames(expr).map((name) => name.replace(/_(bucket|sum|count)$/, ''))),
    );
    expect(Object.values(METRIC).filter((name) => !used.has(name))).toEqual([]);
  });
});

describe('the dashboard against the running service', () => {
  let t: TestApp;
  let exposition: Exposition;
  let metricsText: string;

  beforeAll(async () => {
    t = await startTestApp();
    const user = newLogin(t.sandbox);
    const auth = (test: ReturnType<TestApp['http']['get']>) => test.set('authorization', user.authorization);
    // A cold Basic login (miss, login) and a list, then a warm create (hit).
    await auth(t.http.get('/v1/groups')).expect(200);
    const created = await auth(t.http.post('/v1/groups')).send({ name: 'Dashboard check' }).expect(201);
    expect(created.body.id).toEqual(expect.any(Number));
    // A 404 from a route (an unknown group) and one from no route at all.
    await auth(t.http.get('/v1/groups/987654321')).expect(404);
    await t.http.get('/no/such/route').expect(404);
    // A 5xx: DeepCall answers one list with a bare HTTP 500, passed on as 502.
    t.sandbox.control.setFault({ op: 'list', mode: 'http-status', status: 500, times: 1 });
    await auth(t.http.get('/v1/groups')).expect(502);
    await t.http.get('/health/live').expect(200);
    await t.http.get('/health/ready').expect(200);
    await t.http.get('/health/dependencies').expect(200);
    // The first scrape is itself a request: the second one shows it (and fills the event-loop gauges).
    await t.http.get('/metrics').expect(200);
    metricsText = (await t.http.get('/metrics').expect(200)).text;
    exposition = parseExposition(metricsText);
  });
  afterAll(() => t?.close());

  it('exports every metric series the dashboard queries, histogram _bucket/_sum/_count as such', () => {
    const used = expressions().flatMap(({ where, expr }) => metricNames(expr).map((metric) => ({ where, metric })));
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter(({ metric }) => !exposition.has(metric))).toEqual([]);
  });

  it('has every label the dashboard selects on or groups by on the metric it is used with', () => {
    const missing: string[] = [];
    const present = (metric: string, label: string): boolean =>
      TARGET_LABELS.has(label) || (exposition.get(metric)?.has(label) ?? false);
    let checked = 0;
    for (const { where, expr } of expressions()) {
      for (const { metric, label } of matchers(expr)) {
        checked += 1;
        if (!present(metric, label)) missing.push(`${where}: ${metric}{${label}}`);
      }
      for (const { clause, labels, metrics } of groupings(expr)) {
        for (const label of labels) {
          for (const metric of metrics) {
            checked += 1;
            if (!present(metric, label)) missing.push(`${where}: ${clause} over ${metric}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });

  it('selects on label values the service emits, and every exclusion excludes something real', () => {
    const problems: string[] = [];
    for (const { where, expr } of expressions()) {
      for (const { metric, label, op, value } of matchers(expr)) {
        if (TARGET_LABELS.has(label)) continue;
        const emitted = [...(exposition.get(metric)?.get(label) ?? [])];
        const shown = `${where}: ${metric}{${label}${op}"${value}"} (emitted: ${emitted.join(', ')})`;
        if (op === '=' || op === '!=') {
          if (!emitted.includes(value)) problems.push(shown);
        } else if (!emitted.some((candidate) => promRegex(value).test(candidate))) {
          problems.push(shown);
        } else if (op === '!~') {
          // Each alternative of an exclusion must exclude something, or it hides nothing.
          for (const alternative of value.split('|')) {
            if (!emitted.some((candidate) => promRegex(alternative).test(candidate)))
              problems.push(`${shown}: "${alternative}" excludes nothing`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps health probes and scrapes out of the API request panels, and only those', () => {
    const routes = [...(exposition.get(`${METRIC.httpDuration}_count`)?.get('route') ?? [])];
    const exclusions = expressions().flatMap(({ expr }) =>
      matchers(expr).filter((m) => m.metric.startsWith(METRIC.httpDuration) && m.label === 'route' && m.op === '!~'),
    );
    expect(exclusions.length).toBeGreaterThan(5);
    for (const exclusion of exclusions) {
      const excluded = routes.filter((route) => promRegex(exclusion.value).test(route)).sort();
      expect(excluded).toEqual(['/health/dependencies', '/health/live', '/health/ready', '/metrics']);
    }
    expect(routes).toEqual(expect.arrayContaining(['/v1/groups', '/v1/groups/:id', 'unmatched']));
  });

  it('reads the circuit gauge as "closed" (green) on every circuit panel while DeepCall answers', () => {
    const panels = panelsOn(METRIC.circuitState);
    expect(panels.map((panel) => panel.type).sort()).toEqual(['stat', 'state-timeline']);
    const value = circuitValue(metricsText);
    for (const panel of panels)
      expect({ panel: panel.title, ...circuitMappings(panel)[value] }).toMatchObject({
        panel: panel.title,
        text: 'closed',
        color: 'green',
      });
  });
});

describe('the circuit panels when DeepCall keeps failing', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A long cooldown keeps the circuit open (it only half-opens on a call after the cooldown).
    t = await startTestApp({ env: { DEEPCALL_BREAKER_THRESHOLD: '2', DEEPCALL_BREAKER_COOLDOWN_MS: '60000' } });
  });
  afterAll(() => t?.close());

  it('read the gauge as "open" (red) once the circuit opens', async () => {
    const user = newLogin(t.sandbox);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    t.sandbox.control.setFault({ op: 'list', mode: 'http-status', status: 500 });
    for (let n = 0; n < 2; n += 1) await t.http.get('/v1/groups').set('authorization', user.authorization).expect(502);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(503);

    const value = circuitValue((await t.http.get('/metrics').expect(200)).text);
    for (const panel of panelsOn(METRIC.circuitState))
      expect({ panel: panel.title, ...circuitMappings(panel)[value] }).toMatchObject({
        panel: panel.title,
        text: 'open',
        color: 'red',
      });
  });
});
