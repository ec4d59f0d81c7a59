import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { newLogin, startTestApp, TestApp, upstreamCallsOf } from '../support/test-app.js';

// The document's own schemas decide which generated requests are valid (ajv, via the shared
// conformance helper). A request they accept must not be refused as invalid (400); a request
// they refuse must be a 400 that never reached DeepCall (the sandbox's call counters).
// `cursor` is left out: it is opaque, its validity is not the document's to say.

let t: TestApp;
let bearer: string;
let existingId: number;

beforeAll(async () => {
  t = await startTestApp();
  const login = newLogin(t.sandbox, 'conformance');
  const session = await t.http.post('/v1/sessions').send({ userId: login.userId, token: login.token }).expect(201);
  bearer = `Bearer ${session.body.sessionId}`;
  existingId = (await t.http.post('/v1/groups').set('authorization', bearer).send({ name: 'Existing' }).expect(201))
    .body.id;
});
afterAll(() => t.close());

const upstreamCalls = () => upstreamCallsOf(t.sandbox);

// Characters around every rule: letters, spaces and tabs (trimmed), control characters,
// quotes and backslashes (the Idempotency-Key), astral characters (length in code points).
const character = fc.constantFrom(
  'a',
  'Z',
  '7',
  ' ',
  '\t',
  '\n',
  '\u0000',
  '\u007f',
  '\u0085',
  '\u00a0',
  '"',
  '\\',
  '-',
  'é',
  '😀',
  '\u2028',
  '~',
);
const text = (maxLength: number) =>
  fc.oneof(
    fc.array(character, { maxLength: 8 }).map((chars) => chars.join('')),
    fc
      .tuple(
        fc.array(character, { maxLength: 3 }),
        fc.integer({ min: 0, max: maxLength + 2 }),
        fc.array(character, { maxLength: 3 }),
      )
      .map(([before, length, after]) => `${before.join('')}${'x'.repeat(length)}${after.join('')}`),
  );
const plain = fc.string({ unit: fc.constantFrom('a', 'b', 'Q', ' ', '4'), minLength: 1, maxLength: 20 });
const anyJson = fc.oneof(
  { arbitrary: plain, weight: 3 },
  text(130),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
);
const field = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined, freq: 4 });
const rarely = (value: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, { arbitrary: value, weight: 1 });
const asciiKey = fc.oneof(
  // Only what an HTTP client can send at all (Node refuses control characters in headers).
  fc
    .string({ unit: fc.constantFrom('a', 'B', '0', ' ', '"', '\\', '-', '~', '\t'), minLength: 1, maxLength: 6 })
    .filter((key) => key.trim() !== ''),
  fc.integer({ min: 250, max: 260 }).map((length) => 'k'.repeat(length)),
  fc.uuid().map((uuid) => `"${uuid}"`),
);
const idText = fc.oneof(
  fc.integer({ min: -5, max: 40 }).map(String),
  fc.constantFrom('9007199254740991', '9007199254740992', '1e3', 'abc', '1.5'),
);
const queryBoolean = fc.oneof(fc.boolean().map(String), fc.constantFrom('1', 'yes', 'TRUE', ''));
const queryInteger = fc.oneof(fc.integer({ min: -2, max: 1002 }).map(String), fc.constantFrom('abc', '1.5', ''));

function without<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Whether the document accepts a parameter's raw text (integers and booleans read as an ordinary OpenAPI client writes them). */
function parameterAccepted(path: string, method: string, name: string, raw: string): boolean {
  const parameter = (t.conformance.document.paths[path] as Record<string, any>)[method].parameters.find(
    (p: { name: string }) => p.name === name,
  );
  const { schema } = parameter;
  // A header's value is what is between its optional whitespace (RFC 9110): that is what any server sees.
  if (parameter.in === 'header') raw = raw.replace(/^[ \t]+|[ \t]+$/g, '');
  const value =
    schema.type === 'integer' && /^-?[1-9]\d*$|^0$/.test(raw)
      ? Number(raw)
      : schema.type === 'boolean' && (raw === 'true' || raw === 'false')
        ? raw === 'true'
        : raw;
  return t.conformance.validator(schema)(value);
}

function bodyAccepted(path: string, method: string, body: unknown): boolean {
  const operation = (t.conformance.document.paths[path] as Record<string, any>)[method];
  return t.conformance.validator(operation.requestBody.content['application/json'].schema)(body);
}

interface Outcome {
  accepted: boolean;
  send: () => Promise<{ status: number; body: any }>;
}

/** Checks one generated request against the document's verdict; tallies both sides. */
async function check({ accepted, send }: Outcome, tally: { accepted: number; refused: number }) {
  const before = upstreamCalls();
  const response = await send();
  if (accepted) {
    tally.accepted++;
    expect({ accepted, status: response.status, errors: response.body?.errors }).not.toMatchObject({ status: 400 });
  } else {
    tally.refused++;
    expect({ accepted, status: response.status, upstreamCalls: upstreamCalls() - before }).toEqual({
      accepted,
      status: 400,
      upstreamCalls: 0,
    });
  }
}

const RUNS = { numRuns: 150 };

describe('requests generated from the document’s schemas', () => {
  it('POST /v1/sessions', async () => {
    const tally = { accepted: 0, refused: 0 };
    const body = fc.record({ userId: field(anyJson), token: field(anyJson), extra: rarely(anyJson) }).map(without);
    await fc.assert(
      fc.asyncProperty(body, (generated) =>
        check(
          {
            accepted: bodyAccepted('/v1/sessions', 'post', generated),
            send: () => t.http.post('/v1/sessions').send(generated),
          },
          tally,
        ),
      ),
      RUNS,
    );
    expect(tally.accepted).toBeGreaterThanOrEqual(3);
    expect(tally.refused).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('POST /v1/groups, with and without an Idempotency-Key', async () => {
    const tally = { accepted: 0, refused: 0 };
    const request = fc.record({
      body: fc.record({ name: field(anyJson), extra: rarely(anyJson) }).map(without),
      key: field(asciiKey),
    });
    await fc.assert(
      fc.asyncProperty(request, ({ body, key }) => {
        const accepted =
          bodyAccepted('/v1/groups', 'post', body) &&
          (key === undefined || parameterAccepted('/v1/groups', 'post', 'Idempotency-Key', key));
        const send = () => {
          const call = t.http.post('/v1/groups').set('authorization', bearer).send(body);
          return key === undefined ? call : call.set('idempotency-key', key);
        };
        return check({ accepted, send }, tally);
      }),
      RUNS,
    );
    expect(tally.accepted).toBeGreaterThanOrEqual(3);
    expect(tally.refused).toBeGreaterThanOrEqual(3);
  }, 90_000);

  it('PATCH /v1/groups/{id}', async () => {
    const tally = { accepted: 0, refused: 0 };
    const request = fc.record({
      id: fc.oneof(idText, fc.constant(String(existingId))),
      body: fc
        .record({
          name: field(anyJson),
          status: field(fc.oneof(fc.constantFrom('active', 'inactive', 'ACTIVE', ''), anyJson)),
          extra: rarely(anyJson),
        })
        .map(without),
    });
    await fc.assert(
      fc.asyncProperty(request, ({ id, body }) => {
        const accepted =
          parameterAccepted('/v1/groups/{id}', 'patch', 'id', id) && bodyAccepted('/v1/groups/{id}', 'patch', body);
        return check(
          {
            accepted,
            send: () =>
              t.http
                .patch(`/v1/groups/${encodeURIComponent(id)}`)
                .set('authorization', bearer)
                .send(body),
          },
          tally,
        );
      }),
      RUNS,
    );
    expect(tally.accepted).toBeGreaterThanOrEqual(3);
    expect(tally.refused).toBeGreaterThanOrEqual(3);
  }, 90_000);

  it('GET and DELETE /v1/groups/{id}', async () => {
    const tally = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(idText, fc.constantFrom('get', 'delete' as const), (id, method) =>
        check(
          {
            accepted: parameterAccepted('/v1/groups/{id}', method, 'id', id),
            send: () => t.http[method](`/v1/groups/${encodeURIComponent(id)}`).set('authorization', bearer),
          },
          tally,
        ),
      ),
      RUNS,
    );
    expect(tally.accepted).toBeGreaterThanOrEqual(3);
    expect(tally.refused).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('GET /v1/groups', async () => {
    const tally = { accepted: 0, refused: 0 };
    const query = fc
      .record({
        name: field(text(105)),
        quick: field(queryBoolean),
        forward: field(fc.constant('true')),
        limit: field(queryInteger),
      })
      .map(without);
    await fc.assert(
      fc.asyncProperty(query, (generated) => {
        const accepted = Object.entries(generated).every(([name, raw]) =>
          parameterAccepted('/v1/groups', 'get', name, String(raw)),
        );
        return check(
          { accepted, send: () => t.http.get('/v1/groups').query(generated).set('authorization', bearer) },
          tally,
        );
      }),
      RUNS,
    );
    expect(tally.accepted).toBeGreaterThanOrEqual(3);
    expect(tally.refused).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
