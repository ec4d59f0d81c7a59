import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';

let t: TestApp;
let user: ReturnType<typeof newLogin>;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
beforeEach(() => {
  user = newLogin(t.sandbox);
});

const create = (name: string, authorization = user.authorization) =>
  t.http.post('/v1/groups').set('authorization', authorization).send({ name });

describe('POST /v1/groups', () => {
  it('creates a group: 201, Location, the group as stored, trimmed name', async () => {
    const response = await create('  Sales Team  ').expect(201);
    expect(response.body).toEqual({
      id: expect.any(Number),
      name: 'Sales Team',
      status: 'active',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
    expect(response.headers.location).toBe(`/v1/groups/${response.body.id}`);
    expect(t.sandbox.control.groupsOf(user.userId).map((group) => group.name)).toEqual(['Sales Team']);
  });

  it('answers the name upstream really stored for a duplicate', async () => {
    await create('Support').expect(201);
    const second = await create('Support').expect(201);
    const stored = t.sandbox.control.groupsOf(user.userId).find((group) => group.id === second.body.id);
    expect(second.body.name).not.toBe('Support');
    expect(second.body.name).toBe(stored?.name);
  });

  it('still answers 201 with what is known when reading the group back fails', async () => {
    // A cold Basic login starts with a list call (the login check): warm the session first.
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    t.sandbox.control.setFault({ op: 'list', mode: 'http-status', status: 500, times: 1 });
    const response = await create('Read back fails').expect(201);
    expect(response.body).toEqual({
      id: expect.any(Number),
      name: 'Read back fails',
      status: 'active',
      createdAt: null,
    });
    expect(t.sandbox.control.groupsOf(user.userId)).toHaveLength(1);
  });

  it.each([
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ name: 42 }, 'name'],
    [{ name: 'tab\there' }, 'name'],
    [{ name: 'ok', extra: true }, 'extra'],
  ])('refuses %p with a 400 naming %s, before any upstream call', async (body, field) => {
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    t.sandbox.control.resetStats();
    const response = await t.http.post('/v1/groups').set('authorization', user.authorization).send(body).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(t.sandbox.control.stats().requests.add).toBe(0);
  });

  it('accepts 100 characters after trimming', async () => {
    const response = await create(` ${'n'.repeat(100)} `).expect(201);
    expect(response.body.name).toHaveLength(100);
  });
});

describe('GET /v1/groups', () => {
  it('lists the caller’s groups and only theirs', async () => {
    await create('Alpha').expect(201);
    await create('Beta').expect(201);
    const other = newLogin(t.sandbox);
    await create('Other', other.authorization).expect(201);
    const response = await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    expect(response.body.data.map((group: { name: string }) => group.name)).toEqual(['Alpha', 'Beta']);
  });

  it('filters by name ignoring case', async () => {
    await create('Sales North').expect(201);
    await create('Support').expect(201);
    const response = await t.http.get('/v1/groups?name=SALES').set('authorization', user.authorization).expect(200);
    expect(response.body.data.map((group: { name: string }) => group.name)).toEqual(['Sales North']);
  });

  it('answers an empty list when upstream says "no data found" (1012)', async () => {
    const response = await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    expect(response.body).toEqual({ data: [], next: null });
  });

  it('answers an empty list when upstream sends an empty response', async () => {
    t.sandbox.control.configure({ emptyListAs: 'empty' });
    try {
      await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200, { data: [], next: null });
    } finally {
      t.sandbox.control.configure({ emptyListAs: 'error-1012' });
    }
  });

  it('passes quick and forward upstream', async () => {
    await create('Quick one').expect(201);
    const response = await t.http
      .get('/v1/groups?quick=true&forward=true')
      .set('authorization', user.authorization)
      .expect(200);
    expect(response.body.data).toEqual([
      { id: expect.any(Number), name: 'Quick one', status: 'active', createdAt: null },
    ]);
  });

  it.each(['quick=yes', 'quick=1', 'forward=TRUE', 'quick=true&quick=false', 'name=', 'unknown=1'])(
    'refuses the query %s',
    async (query) => {
      const response = await t.http.get(`/v1/groups?${query}`).set('authorization', user.authorization).expect(400);
      expect(response.body.type).toBe('tag:groups-bff,2026:problem:validation-failed');
    },
  );

  it('reads an upstream that answers an object keyed by id, with string ids under groupId', async () => {
    await create('Shape').expect(201);
    t.sandbox.control.configure({ listShape: 'object-by-id', idField: 'groupId', idsAsStrings: true });
    try {
      const response = await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
      expect(response.body.data).toEqual([expect.objectContaining({ name: 'Shape', id: expect.any(Number) })]);
    } finally {
      t.sandbox.control.configure({ listShape: 'array', idField: 'id', idsAsStrings: false });
    }
  });
});

describe('GET /v1/groups/{id}', () => {
  it('answers one group', async () => {
    const created = await create('Single').expect(201);
    const response = await t.http
      .get(`/v1/groups/${created.body.id}`)
      .set('authorization', user.authorization)
      .expect(200);
    expect(response.body).toEqual(created.body);
  });

  it('answers 404 for a group that does not exist or is another user’s', async () => {
    const other = newLogin(t.sandbox);
    const theirs = await create('Theirs', other.authorization).expect(201);
    for (const id of [theirs.body.id, 987654]) {
      const response = await t.http.get(`/v1/groups/${id}`).set('authorization', user.authorization).expect(404);
      expect(response.body).toMatchObject({ status: 404, instance: `/v1/groups/${id}` });
    }
  });

  it.each(['0', '-1', '1.5', 'abc', '1e3', '0x10', '01', '99999999999999999999', '%20'])(
    'refuses the id %s with a 400 before any upstream call',
    async (id) => {
      await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
      t.sandbox.control.resetStats();
      const response = await t.http.get(`/v1/groups/${id}`).set('authorization', user.authorization).expect(400);
      expect(response.body.errors).toEqual([{ field: 'id', message: 'id must be a positive integer' }]);
      expect(t.sandbox.control.stats().requests.list).toBe(0);
    },
  );
});

describe('PATCH /v1/groups/{id}', () => {
  it('keeps the status when only the name changes (upstream would reset it to active)', async () => {
    const created = await create('Night shift').expect(201);
    await t.http
      .patch(`/v1/groups/${created.body.id}`)
      .set('authorization', user.authorization)
      .send({ status: 'inactive' })
      .expect(200);
    const renamed = await t.http
      .patch(`/v1/groups/${created.body.id}`)
      .set('authorization', user.authorization)
      .send({ name: 'Late shift' })
      .expect(200);
    expect(renamed.body).toMatchObject({ id: created.body.id, name: 'Late shift', status: 'inactive' });
    expect(t.sandbox.control.groupsOf(user.userId)[0]).toMatchObject({ name: 'Late shift', status: 0 });
  });

  it('keeps the name when only the status changes', async () => {
    const created = await create('Keep my name').expect(201);
    const response = await t.http
      .patch(`/v1/groups/${created.body.id}`)
      .set('authorization', user.authorization)
      .send({ status: 'inactive' })
      .expect(200);
    expect(response.body).toMatchObject({ name: 'Keep my name', status: 'inactive' });
  });

  it('accepts application/merge-patch+json', async () => {
    const created = await create('Merge').expect(201);
    await t.http
      .patch(`/v1/groups/${created.body.id}`)
      .set('authorization', user.authorization)
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ status: 'inactive' }))
      .expect(200);
    expect(t.sandbox.control.groupsOf(user.userId)[0].status).toBe(0);
  });

  it('refuses application/merge-patch+json where it is not a patch (415), before DeepCall', async () => {
    const before = t.sandbox.control.stats().requests.add;
    await t.http
      .post('/v1/groups')
      .set('authorization', user.authorization)
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ name: 'Not a patch' }))
      .expect(415);
    expect(t.sandbox.control.stats().requests.add).toBe(before);
  });

  it.each([[{}], [{ status: 'paused' }], [{ name: '' }], [{ id: 5 }]])('refuses %p', async (body) => {
    const created = await create('Validate patch').expect(201);
    await t.http.patch(`/v1/groups/${created.body.id}`).set('authorization', user.authorization).send(body).expect(400);
  });

  it('answers 404 for a missing group without calling update', async () => {
    t.sandbox.control.resetStats();
    await t.http.patch('/v1/groups/424242').set('authorization', user.authorization).send({ name: 'x' }).expect(404);
    expect(t.sandbox.control.stats().requests.update).toBe(0);
  });
});

describe('DELETE /v1/groups/{id}', () => {
  it('deletes: 204, then 404', async () => {
    const created = await create('Doomed').expect(201);
    const response = await t.http
      .delete(`/v1/groups/${created.body.id}`)
      .set('authorization', user.authorization)
      .expect(204);
    expect(response.text).toBe('');
    expect(t.sandbox.control.groupsOf(user.userId)).toEqual([]);
    await t.http.delete(`/v1/groups/${created.body.id}`).set('authorization', user.authorization).expect(404);
  });
});

describe('walk-through with a Bearer session', () => {
  it('logs in, creates, lists, patches, deletes, logs out', async () => {
    const login = await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
    const bearer = `Bearer ${login.body.sessionId}`;
    const created = await create('Walk', bearer).expect(201);
    await t.http
      .get('/v1/groups')
      .set('authorization', bearer)
      .expect(200, { data: [created.body], next: null });
    await t.http
      .patch(`/v1/groups/${created.body.id}`)
      .set('authorization', bearer)
      .send({ name: 'Walked' })
      .expect(200);
    await t.http.delete(`/v1/groups/${created.body.id}`).set('authorization', bearer).expect(204);
    await t.http.delete('/v1/sessions/current').set('authorization', bearer).expect(204);
    await t.http.get('/v1/groups').set('authorization', bearer).expect(401);
  });
});
