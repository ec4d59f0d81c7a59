import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';

// W3C Trace Context at the service's edge: a valid traceparent continues the caller's trace, an
// invalid or absent one starts a new trace (never an error); every answer names the trace in
// traceresponse, every problem in traceId, every log line of the request in trace_id/span_id.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { LOG_LEVEL: 'debug' } });
});
afterAll(() => t.close());

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;
const TRACE_RESPONSE = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

function traceResponseOf(headers: Record<string, string>): { traceId: string; spanId: string; flags: string } {
  const match = TRACE_RESPONSE.exec(headers.traceresponse ?? '');
  expect(match).not.toBeNull();
  const [, traceId, spanId, flags] = match!;
  expect(traceId).not.toBe('0'.repeat(32));
  expect(spanId).not.toBe('0'.repeat(16));
  return { traceId, spanId, flags };
}

describe('a valid traceparent', () => {
  it('continues the trace: traceresponse, the logs and the problem carry its trace id', async () => {
    const user = newLogin(t.sandbox);
    const response = await t.http
      .get('/v1/groups')
      .set('authorization', user.authorization)
      .set('traceparent', TRACEPARENT)
      .set('tracestate', 'vendor=opaque,other=1')
      .set('x-request-id', 'trace-continued')
      .expect(200);
    const answer = traceResponseOf(response.headers);
    expect(answer.traceId).toBe(TRACE_ID);
    expect(answer.spanId).not.toBe(PARENT_ID);
    expect(answer.flags).toBe('01');

    const lines = t.logs.entries().filter((entry) => entry.requestId === 'trace-continued');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line.trace_id).toBe(TRACE_ID);
    const access = lines.find((line) => typeof line.responseTime === 'number');
    expect(access?.span_id).toBe(answer.spanId);

    // DeepCall got the trace: a parent of its own (the attempt's client span), the tracestate as sent.
    const sent = t.sandbox.control.traceHeaders().filter((h) => h.traceparent?.includes(TRACE_ID));
    expect(sent.length).toBeGreaterThanOrEqual(1);
    for (const { traceparent, tracestate } of sent) {
      const [, traceId, parentId, flags] = TRACE_RESPONSE.exec(traceparent!)!;
      expect({ traceId, flags, tracestate }).toEqual({
        traceId: TRACE_ID,
        flags: '01',
        tracestate: 'vendor=opaque,other=1',
      });
      expect([PARENT_ID, answer.spanId]).not.toContain(parentId);
    }
  });

  it('reaches DeepCall with one parent per attempt: a retried read sends two', async () => {
    const user = newLogin(t.sandbox);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200); // the login, first
    t.sandbox.control.resetStats();
    t.sandbox.control.setFault({ op: 'list', mode: 'http-status', times: 1 });
    await t.http.get('/v1/groups').set('authorization', user.authorization).set('traceparent', TRACEPARENT).expect(200);
    const parents = t.sandbox.control
      .traceHeaders()
      .filter((h) => h.op === 'list')
      .map((h) => TRACE_RESPONSE.exec(h.traceparent!)!);
    expect(parents).toHaveLength(2);
    expect(parents.map(([, traceId]) => traceId)).toEqual([TRACE_ID, TRACE_ID]);
    expect(parents[0][2]).not.toBe(parents[1][2]);
  });

  it('keeps the caller’s sampling decision', async () => {
    const response = await t.http.get('/health/live').set('traceparent', `00-${TRACE_ID}-${PARENT_ID}-00`).expect(200);
    expect(traceResponseOf(response.headers as Record<string, string>)).toMatchObject({
      traceId: TRACE_ID,
      flags: '00',
    });
  });

  it('of a later version is read by its version-00 fields', async () => {
    const response = await t.http
      .get('/health/live')
      .set('traceparent', `cc-${TRACE_ID}-${PARENT_ID}-01-what-the-future-adds`)
      .expect(200);
    expect(traceResponseOf(response.headers as Record<string, string>).traceId).toBe(TRACE_ID);
  });
});

describe('a problem', () => {
  it('carries traceId beside requestId, the trace of traceresponse and of its log lines', async () => {
    const response = await t.http
      .get('/v1/groups')
      .set('authorization', 'Bearer not-a-session')
      .set('traceparent', TRACEPARENT)
      .set('x-request-id', 'trace-problem')
      .expect(401);
    expect(response.body).toMatchObject({ requestId: 'trace-problem', traceId: TRACE_ID });
    const unknown = await t.http.get('/no/such/path').expect(404);
    const { traceId } = traceResponseOf(unknown.headers);
    expect(unknown.body.traceId).toBe(traceId);
    for (const line of t.logs.entries().filter((entry) => entry.requestId === 'trace-problem'))
      expect(line.trace_id).toBe(TRACE_ID);
  });
});

describe('an absent traceparent', () => {
  it('starts a new trace per request, sampled', async () => {
    const first = traceResponseOf((await t.http.get('/health/live').expect(200)).headers);
    const second = traceResponseOf((await t.http.get('/health/live').expect(200)).headers);
    expect(first.traceId).not.toBe(second.traceId);
    expect(first.flags).toBe('01');
  });
});

const VALID_HEX_32 = TRACE_ID;
const VALID_HEX_16 = PARENT_ID;
// Each must be ignored (W3C Trace Context §3.2): a new trace, nothing of the input echoed.
const MALFORMED_TRACEPARENTS: Record<string, string | string[]> = {
  'version ff': `ff-${VALID_HEX_32}-${VALID_HEX_16}-01`,
  'all-zero trace id': `00-${'0'.repeat(32)}-${VALID_HEX_16}-01`,
  'all-zero parent id': `00-${VALID_HEX_32}-${'0'.repeat(16)}-01`,
  'upper-case trace id': `00-${VALID_HEX_32.toUpperCase()}-${VALID_HEX_16}-01`,
  'upper-case parent id': `00-${VALID_HEX_32}-00F067AA0BA902B7-01`,
  'upper-case version': `0A-${VALID_HEX_32}-${VALID_HEX_16}-01`,
  'upper-case flags': `00-${VALID_HEX_32}-${VALID_HEX_16}-0A`,
  'extra field on version 00': `00-${VALID_HEX_32}-${VALID_HEX_16}-01-extra`,
  'trace id of 31': `00-${VALID_HEX_32.slice(1)}-${VALID_HEX_16}-01`,
  'trace id of 33': `00-${VALID_HEX_32}a-${VALID_HEX_16}-01`,
  'parent id of 15': `00-${VALID_HEX_32}-${VALID_HEX_16.slice(1)}-01`,
  'parent id of 17': `00-${VALID_HEX_32}-${VALID_HEX_16}a-01`,
  'flags of 1': `00-${VALID_HEX_32}-${VALID_HEX_16}-1`,
  'flags of 3': `00-${VALID_HEX_32}-${VALID_HEX_16}-001`,
  'non-hex flags': `00-${VALID_HEX_32}-${VALID_HEX_16}-zz`,
  'non-hex version': `zz-${VALID_HEX_32}-${VALID_HEX_16}-01`,
  'one-digit version': `0-${VALID_HEX_32}-${VALID_HEX_16}-01`,
  'non-hex trace id': `00-${VALID_HEX_32.slice(0, 31)}g-${VALID_HEX_16}-01`,
  'non-hex parent id': `00-${VALID_HEX_32}-${VALID_HEX_16.slice(0, 15)}x-01`,
  'no parent id': `00-${VALID_HEX_32}-01`,
  'no flags': `00-${VALID_HEX_32}-${VALID_HEX_16}`,
  'underscores for dashes': `00_${VALID_HEX_32}_${VALID_HEX_16}_01`,
  'trailing dash': `00-${VALID_HEX_32}-${VALID_HEX_16}-01-`,
  'inner space': `00-${VALID_HEX_32} -${VALID_HEX_16}-01`,
  'leading junk': `x00-${VALID_HEX_32}-${VALID_HEX_16}-01`,
  'only dashes': '---',
  'a single dash': '-',
  'JSON instead': '{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}',
  'very long': `00-${VALID_HEX_32}-${VALID_HEX_16}-01`.repeat(40),
  'two different headers': [`00-${VALID_HEX_32}-${VALID_HEX_16}-01`, `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`],
  'the same header twice': [`00-${VALID_HEX_32}-${VALID_HEX_16}-01`, `00-${VALID_HEX_32}-${VALID_HEX_16}-01`],
};

describe('a malformed traceparent', () => {
  let user: ReturnType<typeof newLogin>;
  beforeAll(() => {
    user = newLogin(t.sandbox);
  });
  it.each(Object.entries(MALFORMED_TRACEPARENTS))('(%s) is ignored: served, in a new trace', async (_name, value) => {
    t.sandbox.control.resetStats();
    const response = await t.http
      .get('/v1/groups')
      .set('authorization', user.authorization)
      .set('traceparent', value as string) // an array sends the header once per value
      .set('tracestate', 'vendor=must-not-survive')
      .expect(200);
    const answer = traceResponseOf(response.headers);
    expect(answer.traceId).not.toBe(VALID_HEX_32);
    expect(answer.spanId).not.toBe(VALID_HEX_16);
    expect(JSON.stringify(response.headers)).not.toContain('must-not-survive');
    // DeepCall is called in the new trace, without the tracestate that went with the bad traceparent.
    const sent = t.sandbox.control.traceHeaders();
    expect(sent.length).toBeGreaterThanOrEqual(1);
    for (const { traceparent, tracestate } of sent) {
      expect(traceparent?.slice(3, 35)).toBe(answer.traceId);
      expect(tracestate).toBeUndefined();
    }
  });
});

// Beside a valid traceparent, tracestate is kept when valid and dropped or cut when not
// (§3.3): the trace itself goes on either way.
const ODD_TRACESTATES: Record<string, string | string[]> = {
  '600 characters': `vendor=${'x'.repeat(593)}`,
  '33 members': Array.from({ length: 33 }, (_, n) => `k${n}=v`).join(','),
  'upper-case key': 'Vendor=1',
  'no equals sign': 'vendor',
  'empty value': 'vendor=',
  'two headers': ['a=1', 'b=2'],
};

describe('an odd tracestate', () => {
  it.each(Object.entries(ODD_TRACESTATES))('(%s) never breaks the trace', async (_name, value) => {
    const response = await t.http
      .get('/health/live')
      .set('traceparent', TRACEPARENT)
      .set('tracestate', value as string)
      .expect(200);
    expect(traceResponseOf(response.headers as Record<string, string>).traceId).toBe(TRACE_ID);
  });
});
