// An example front-end module: log in, ask who am I, create a group (safely retryable), list
// page by page, edit without losing another user's change (ETag / If-Match), handle problems by
// their type, log out. test/frontend/typed-client.e2e-spec.ts runs it against the service.
import {
  createGroupsClient,
  type Group,
  groupPages,
  isProblemError,
  PROBLEM_TYPES,
  unwrap,
  unwrapVersioned,
} from './index.js';

export interface ExampleOutcome {
  me: string;
  created: Group;
  /** The same create sent again with the same Idempotency-Key: the first answer, replayed. */
  retried: { group: Group; replayed: boolean };
  listed: Group[];
  /** How many pages the list took. */
  pages: number;
  /** The group after the first of two concurrent edits; the second was refused. */
  edited: Group;
  /** Whether re-reading the edited group with its ETag came back 304 (nothing new to fetch). */
  unchangedSinceEdit: boolean;
  /** What the UI would show for each failure below. */
  messages: { missingGroup: string; emptyName: string; staleEdit: string; afterLogout: string };
  /** The problems themselves, as caught. */
  problems: {
    missingGroup: ProblemSummary;
    emptyName: ProblemSummary;
    staleEdit: ProblemSummary;
    afterLogout: ProblemSummary;
  };
}

export interface ProblemSummary {
  status: number;
  type: string;
  fields: string[];
}

export async function runExample(
  baseUrl: string,
  login: { userId: string; token: string },
  groupName: string,
): Promise<ExampleOutcome> {
  // Log in once; from then on the session id travels as a Bearer token.
  const { sessionId } = await unwrap(createGroupsClient(baseUrl).POST('/v1/sessions', { body: login }));
  const api = createGroupsClient(baseUrl, { sessionId });
  const { userId: me } = await unwrap(api.GET('/v1/sessions/current'));

  // A fresh key per new group: if the answer is lost, sending the same request again with the
  // same key answers the group created the first time instead of creating a second one.
  const idempotencyKey = crypto.randomUUID();
  const create = () =>
    api.POST('/v1/groups', { body: { name: groupName }, params: { header: { 'Idempotency-Key': idempotencyKey } } });
  // The answer carries the name as stored: DeepCall may have appended a number to it.
  const created = await unwrap(create());
  const again = await create();
  const retried = {
    group: await unwrap(Promise.resolve(again)),
    replayed: again.response.headers.get('idempotent-replayed') === 'true',
  };

  // Page by page (2 per request here; up to 1000), following `next` to the last page.
  const listed: Group[] = [];
  let pages = 0;
  for await (const page of groupPages(api, { name: groupName, limit: 2 })) {
    listed.push(...page);
    pages++;
  }

  const missingGroup = await failure(() =>
    unwrap(api.GET('/v1/groups/{id}', { params: { path: { id: created.id + 1000 } } })),
  );
  const emptyName = await failure(() => unwrap(api.POST('/v1/groups', { body: { name: '   ' } })));

  // Two screens show the group, each with the ETag it was read at. Each edit sends that ETag as
  // If-Match: the first goes through, the second would overwrite it and gets a 412 instead.
  const path = { id: created.id };
  const read = (await unwrapVersioned(api.GET('/v1/groups/{id}', { params: { path } })))!;
  const edit = (changes: { name?: string; status?: 'active' | 'inactive' }) =>
    unwrapVersioned(
      api.PATCH('/v1/groups/{id}', { params: { path, header: { 'If-Match': read.etag } }, body: changes }),
    );
  const edited = (await edit({ status: 'inactive' }))!;
  const staleEdit = await failure(() => edit({ name: `${created.name} (renamed)` }));
  // Polling a group cheaply: with If-None-Match, an unchanged group is a 304 without a body.
  const recheck = await unwrapVersioned(
    api.GET('/v1/groups/{id}', { params: { path, header: { 'If-None-Match': edited.etag } } }),
  );
  const unchangedSinceEdit = recheck === undefined;

  await unwrap(api.DELETE('/v1/sessions/current'));
  const afterLogout = await failure(() => unwrap(api.GET('/v1/groups')));

  return {
    me,
    created,
    retried,
    listed,
    pages,
    edited: edited.data,
    unchangedSinceEdit,
    messages: {
      missingGroup: messageFor(missingGroup),
      emptyName: messageFor(emptyName),
      staleEdit: messageFor(staleEdit),
      afterLogout: messageFor(afterLogout),
    },
    problems: {
      missingGroup: summary(missingGroup),
      emptyName: summary(emptyName),
      staleEdit: summary(staleEdit),
      afterLogout: summary(afterLogout),
    },
  };
}

/** Branch on `type` for the problems the UI handles itself, on `status` for the rest. */
export function messageFor(error: unknown): string {
  if (!isProblemError(error)) return 'Something went wrong. Check your connection and try again.';
  switch (error.type) {
    case PROBLEM_TYPES.notFound:
      return 'This group no longer exists.';
    case PROBLEM_TYPES.validation:
      return `Please check: ${(error.problem.errors ?? []).map((e) => e.field).join(', ')}.`;
    case PROBLEM_TYPES.unauthorized:
      return 'Your session has ended. Please log in again.';
    case PROBLEM_TYPES.preconditionFailed:
      return 'Someone else changed this group meanwhile. Reload it and make your change again.';
  }
  if (error.status === 429 || error.status === 503)
    return `Busy; try again in ${error.response.headers.get('retry-after') ?? 'a few'} seconds.`;
  return `Something went wrong (reference ${error.problem.requestId}).`;
}

function summary(error: unknown): ProblemSummary {
  if (!isProblemError(error)) throw error;
  return { status: error.status, type: error.type, fields: (error.problem.errors ?? []).map((e) => e.field) };
}

async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
