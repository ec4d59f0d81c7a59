import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';

let t: TestApp;
let user: ReturnType<typeof newLogin>;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
beforeEach(async () => {
  user = newLogin(t.sandbox);
  await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
});

const STRONG_ETAG = /^"[\w-]+"$/;
const PRECONDITION_FAILED = 'tag:groups-bff,2026:problem:precondition-failed';

async function created(name: string): Promise<{ id: number; etag: string }> {
  const response = await t.http.post('/v1/groups').set('authorization', user.authorization).send({ name }).expect(201);
  return { id: response.body.id, etag: response.headers.etag };
}

const upstreamWrites = () => {
  const { requests } = t.sandbox.control.stats();
  return requests.update + requests.delete;
};

describe('ETag on every answer that is one group', () => {
  it('POST, GET and PATCH carry a strong ETag that follows the group', async () => {
    const { id, etag } = await created('Tagged');
    expect(etag).toMatch(STRONG_ETAG);
    const read = await t.http.get(`/v1/groups/${id}`).set('authorization', user.authorization).expect(200);
    expect(read.headers.etag).toBe(etag);
    const patched = await t.http
      .patch(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .send({ status: 'inactive' })
      .expect(200);
    expect(patched.headers.etag).toMatch(STRONG_ETAG);
    expect(patched.headers.etag).not.toBe(etag);
    const reread = await t.http.get(`/v1/groups/${id}`).set('authorization', user.authorization).expect(200);
    expect(reread.headers.etag).toBe(patched.headers.etag);
  });
});

describe('the list ETag and If-None-Match on GET /v1/groups', () => {
  const WEAK_ETAG = /^W\/"[\w-]+"$/;
  const list = (query = '', ifNoneMatch?: string) => {
    const request = t.http.get(`/v1/groups${query}`).set('authorization', user.authorization);
    return ifNoneMatch === undefined ? request : request.set('if-none-match', ifNoneMatch);
  };
  const lists = () => t.sandbox.control.stats().requests.list;

  it('polling: 304 with no body while the page is unchanged (DeepCall still asked), 200 with a new tag once it changed', async () => {
    const { id } = await created('Polled');
    const first = await list().expect(200);
    expect(first.headers.etag).toMatch(WEAK_ETAG);

    const listsBefore = lists();
    const unchanged = await list('', first.headers.etag).expect(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers.etag).toBe(first.headers.etag);
    expect(lists()).toBe(listsBefore + 1);
    // Its strong form, a list of tags holding it and * match too (weak comparison).
    for (const header of [first.headers.etag.slice(2), `"other", ${first.headers.etag}`, '*'])
      await list('', header).expect(304);

    for (const change of [
      () => t.http.patch(`/v1/groups/${id}`).set('authorization', user.authorization).send({ status: 'inactive' }),
      () => t.http.patch(`/v1/groups/${id}`).set('authorization', user.authorization).send({ name: 'Renamed' }),
      () => t.http.post('/v1/groups').set('authorization', user.authorization).send({ name: 'Another' }),
      () => t.http.delete(`/v1/groups/${id}`).set('authorization', user.authorization),
    ]) {
      const before = await list().expect(200);
      await change().expect((response) => expect(response.status).toBeLessThan(300));
      const after = await list('', before.headers.etag).expect(200);
      expect(after.headers.etag).toMatch(WEAK_ETAG);
      expect(after.headers.etag).not.toBe(before.headers.etag);
    }
  });

  it('the tag is over the page as answered: each query and each page has its own', async () => {
    for (const name of ['Paged A', 'Paged B', 'Paged C']) await created(name);
    const whole = await list().expect(200);
    const filtered = await list('?name=paged b').expect(200);
    const firstPage = await list('?limit=1').expect(200);
    const secondPage = await list(`?limit=1&cursor=${firstPage.body.next}`).expect(200);
    const tags = [whole, filtered, firstPage, secondPage].map((answer) => answer.headers.etag);
    expect(new Set(tags).size).toBe(4);
    await list('?name=paged b', filtered.headers.etag).expect(304);
    await list('?name=paged b', whole.headers.etag).expect(200);
  });
});

describe('If-None-Match on GET /v1/groups/{id}', () => {
  it('answers 304 with no body while the copy is current, 200 once the group changed', async () => {
    const { id, etag } = await created('Cached');
    const notModified = await t.http
      .get(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .set('if-none-match', etag)
      .expect(304);
    expect(notModified.text ?? '').toBe('');
    expect(notModified.headers.etag).toBe(etag);
    expect(notModified.headers['x-request-id']).toBeDefined();
    await t.http
      .patch(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .send({ name: 'Cached, renamed' })
      .expect(200);
    const changed = await t.http
      .get(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .set('if-none-match', etag)
      .expect(200);
    expect(changed.body.name).toBe('Cached, renamed');
  });

  it('a tag of another group, or none at all, gets the group', async () => {
    const first = await created('First');
    const second = await created('Second');
    await t.http
      .get(`/v1/groups/${second.id}`)
      .set('authorization', user.authorization)
      .set('if-none-match', first.etag)
      .expect(200);
  });
});

describe('If-Match on PATCH and DELETE: no lost updates', () => {
  it('two front ends edit the same group: the second, holding a stale ETag, gets 412 and writes nothing', async () => {
    const { id, etag } = await created('Shared');
    const frontEndA = await t.http
      .patch(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .set('if-match', etag)
      .send({ name: 'Renamed by A' })
      .expect(200);
    const writes = upstreamWrites();
    const frontEndB = await t.http
      .patch(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .set('if-match', etag)
      .send({ status: 'inactive' })
      .expect(412);
    expect(frontEndB.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(frontEndB.body).toMatchObject({ type: PRECONDITION_FAILED, status: 412, instance: `/v1/groups/${id}` });
    expect(upstreamWrites()).toBe(writes);
    expect(t.sandbox.control.groupsOf(user.userId)).toEqual([
      expect.objectContaining({ id, name: 'Renamed by A', status: 1 }),
    ]);
    // With the fresh tag B's change goes through, on top of A's.
    await t.http
      .patch(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .set('if-match', frontEndA.headers.etag)
      .send({ status: 'inactive' })
      .expect(200)
      .expect((response) => expect(response.body).toMatchObject({ name: 'Renamed by A', status: 'inactive' }));
  });

  it('compares with the group as upstream holds it right before the write, whoever changed it', async () => {
    const { id, etag } = await created('Changed elsewhere');
    // Changed directly upstream (another tool), not through this service.
    const changedUpstream = await fetch(`${t.sandbox.url}/api/v2/Group/update`, {
      method: 'POST',
      body: JSON.stringify({
        userId: user.userId,
        token: user.token,
        groupId: String(id),
        name: 'Changed elsewhere',
        status: 0,
      }),
    });
    expect(changedUpstream.status).toBe(200);
    await t.http
      .patch(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .set('if-match', etag)
      .send({ name: 'Mine' })
      .expect(412);
    expect(t.sandbox.control.groupsOf(user.userId)[0]).toMatchObject({ name: 'Changed elsewhere', status: 0 });
  });

  it('DELETE with a stale ETag is 412 and deletes nothing; with the current one, 204', async () => {
    const { id, etag } = await created('Delete me');
    const renamed = await t.http
      .patch(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .send({ name: 'Delete me, renamed' })
      .expect(200);
    const refused = await t.http
      .delete(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .set('if-match', etag)
      .expect(412);
    expect(refused.body.type).toBe(PRECONDITION_FAILED);
    expect(t.sandbox.control.groupsOf(user.userId)).toHaveLength(1);
    await t.http
      .delete(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .set('if-match', renamed.headers.etag)
      .expect(204);
    expect(t.sandbox.control.groupsOf(user.userId)).toHaveLength(0);
  });

  it('If-Match: * accepts any existing group; a missing group stays a 404', async () => {
    const { id } = await created('Any');
    await t.http
      .patch(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .set('if-match', '*')
      .send({ name: 'Any at all' })
      .expect(200);
    await t.http.delete('/v1/groups/999999').set('authorization', user.authorization).set('if-match', '*').expect(404);
  });

  it('without If-Match the write goes ahead as before', async () => {
    const { id } = await created('Unconditional');
    await t.http
      .patch(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .send({ name: 'Overwritten' })
      .expect(200);
    await t.http.delete(`/v1/groups/${id}`).set('authorization', user.authorization).expect(204);
  });
});
