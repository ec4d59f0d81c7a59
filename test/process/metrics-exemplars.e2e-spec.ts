import { beforeAll, describe, expect, it } from '@jest/globals';
import { exportFixture } from '../support/export-fixture.js';
import type { ServiceProcess } from '../support/service-process.js';
import { newLogin } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

// The latency histograms' OpenMetrics exemplars, end to end: the built service exporting to a
// real OTLP receiver, a request with a known traceparent, then /metrics scraped as a Prometheus
// with exemplar storage asks for it (Accept: application/openmetrics-text) and as a classic one.
const SPAN_KIND_CLIENT = 3;
const OPENMETRICS_ACCEPT =
  'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

const fixture = exportFixture({ LOG_LEVEL: 'warn' });
const { serviceWith } = fixture;

async function scrape(service: ServiceProcess, accept?: string): Promise<{ contentType: string; text: string }> {
  const response = await fetch(`${service.url}/metrics`, { headers: accept === undefined ? {} : { accept } });
  expect(response.status).toBe(200);
  return { contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

interface Exemplar {
  series: string;
  labels: Record<string, string>;
}

/** The exemplars of an OpenMetrics text: `sample{...} value # {labels} value timestamp`. */
function exemplarsOf(text: string): Exemplar[] {
  return [...text.matchAll(/^(\S+?)(?:\{[^}]*\})? \S+ # \{([^}]*)\} \S+ \S+$/gm)].map((m) => ({
    series: m[1],
    labels: Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1], pair[2]])),
  }));
}

/** Every sample line of the classic text format: `name{labels} value`, nothing after. */
function expectClassicText(text: string): void {
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? \S+$/);
  }
  expect(text).not.toContain('# EOF');
}

async function listGroups(service: ServiceProcess, authorization: string, traceparent: string): Promise<Response> {
  const response = await fetch(`${service.url}/v1/groups`, { headers: { authorization, traceparent } });
  expect(response.status).toBe(200);
  return response;
}

describe('with export on (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await serviceWith({ OTEL_EXPORTER_OTLP_ENDPOINT: fixture.receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50' });
  });

  it('OpenMetrics: the HTTP and DeepCall histograms carry the sampled trace as exemplars', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const user = newLogin(fixture.sandbox);
    const response = await listGroups(service, user.authorization, `00-${traceId}-00f067aa0ba902b7-01`);
    const serverSpanId = response.headers.get('traceresponse')?.split('-')[2];

    const { contentType, text } = await scrape(service, OPENMETRICS_ACCEPT);
    expect(contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(text.endsWith('# EOF\n')).toBe(true);
    const ours = exemplarsOf(text).filter((exemplar) => exemplar.labels.trace_id === traceId);

    // The request's server span, on the bucket its duration fell in.
    expect(ours.filter((e) => e.series === 'groups_bff_http_request_duration_seconds_bucket')).toEqual([
      {
        series: 'groups_bff_http_request_duration_seconds_bucket',
        labels: { trace_id: traceId, span_id: serverSpanId },
      },
    ]);
    // Each DeepCall attempt's client span (the login check and the list), as exported.
    const upstream = ours.filter((e) => e.series === 'groups_bff_deepcall_request_duration_seconds_bucket');
    expect(upstream.length).toBeGreaterThanOrEqual(1);
    // The attempts end, and are exported, in separate batches: wait for the very spans the
    // exemplars name, not for a count (one bucket's exemplar is its latest attempt).
    const clientSpanIds = () =>
      fixture.receiver
        .trace(traceId)
        .filter((span) => span.kind === SPAN_KIND_CLIENT)
        .map((span) => span.spanId);
    await waitFor(
      () => upstream.every((exemplar) => clientSpanIds().includes(exemplar.labels.span_id)),
      10_000,
      'the client spans the exemplars name, at the receiver',
    );
    for (const exemplar of upstream) expect(clientSpanIds()).toContain(exemplar.labels.span_id);

    // Counters keep their sample names (`_total`) in OpenMetrics; only the metadata drops it.
    expect(text).toMatch(/^# TYPE groups_bff_session_events counter$/m);
    expect(text).toMatch(/^groups_bff_session_events_total\{event="login"\} \d+$/m);
  });

  it('an unsampled request (traceparent flags 00) leaves no exemplar', async () => {
    const traceId = '5bf92f3577b34da6a3ce929d0e0e4737';
    const user = newLogin(fixture.sandbox);
    await listGroups(service, user.authorization, `00-${traceId}-00f067aa0ba902b8-00`);
    const { text } = await scrape(service, OPENMETRICS_ACCEPT);
    expect(exemplarsOf(text).length).toBeGreaterThan(0); // earlier requests' are there
    expect(text).not.toContain(traceId);
  });

  it.each([
    ['no Accept', undefined],
    ['*/*', '*/*'],
    ['text/plain', 'text/plain;version=0.0.4'],
    ['text/plain preferred', 'text/plain;q=0.9,application/openmetrics-text;q=0.5'],
  ])('the classic text format (%s) stays as it was: no exemplars, counters named *_total', async (_, accept) => {
    // An OpenMetrics scrape first: prom-client renames counters while rendering it.
    await scrape(service, OPENMETRICS_ACCEPT);
    const { contentType, text } = await scrape(service, accept);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expectClassicText(text);
    expect(text).toMatch(/^# TYPE groups_bff_session_events_total counter$/m);
    expect(text).toMatch(/^# TYPE process_cpu_seconds_total counter$/m);
    expect(text).toMatch(/^groups_bff_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/groups"/m);
  });

  it('answers concurrent scrapes of both formats each in its own format', async () => {
    const accepts = Array.from({ length: 8 }, (_, n) => (n % 2 === 0 ? OPENMETRICS_ACCEPT : 'text/plain'));
    const answers = await Promise.all(accepts.map((accept) => scrape(service, accept)));
    answers.forEach(({ contentType, text }, n) => {
      if (n % 2 === 0) {
        expect(contentType).toMatch(/^application\/openmetrics-text/);
        expect(text).toMatch(/^groups_bff_session_events_total\{/m);
        expect(text).toMatch(/^# TYPE groups_bff_session_events counter$/m);
      } else {
        expect(contentType).toMatch(/^text\/plain/);
        expectClassicText(text);
        expect(text).toMatch(/^# TYPE groups_bff_session_events_total counter$/m);
      }
    });
  });
});

describe('with export off (propagation only)', () => {
  it('OpenMetrics is served, and no histogram carries an exemplar', async () => {
    const service = await serviceWith({});
    const traceId = '6bf92f3577b34da6a3ce929d0e0e4738';
    const user = newLogin(fixture.sandbox);
    const response = await listGroups(service, user.authorization, `00-${traceId}-00f067aa0ba902b9-01`);
    // The trace is propagated all the same.
    expect(response.headers.get('traceresponse')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const { contentType, text } = await scrape(service, OPENMETRICS_ACCEPT);
    expect(contentType).toMatch(/^application\/openmetrics-text/);
    expect(text).toMatch(/^groups_bff_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/groups"/m);
    expect(text).toMatch(/^groups_bff_deepcall_request_duration_seconds_bucket\{/m);
    expect(exemplarsOf(text)).toEqual([]);
    expect(text).not.toContain(' # {');
  });
});
