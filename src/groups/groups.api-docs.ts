// The longer OpenAPI descriptions of the group routes (the `description` of each
// @ApiOperation), kept out of the controller so that both read easily. Markdown, one text each.

export const LIST_GROUPS = [
  'The groups of the logged-in account by id, as `{ "data": [...], "next": null }`. `name` keeps only the groups',
  'whose name contains that text, ignoring case; no match is `{ "data": [], "next": null }`, not an error. With',
  '`limit`, one page at a time: `next` is the `cursor` of the following page (send it with the same filters), null',
  'on the last one. Paging is by id, so groups created or deleted meanwhile neither repeat nor skip others. `quick=true` asks',
  'DeepCall for a lighter answer that may leave out status and creation date (`status` is then `active`',
  'and `createdAt` null). Query booleans are `true` or `false`, nothing else. Each page carries a weak `ETag`: to',
  'poll, send it back as `If-None-Match` and get a 304 with no body while the page is unchanged.',
].join(' ');

export const GET_GROUP = [
  'One group by its id. A group that does not exist or belongs to another account is a 404 (`type` ends',
  'in `:not-found`); an id that is not a positive integer is a 400 before DeepCall is asked. The answer',
  'carries an `ETag`; send it as `If-None-Match` to get a 304 with no body while your copy is current.',
].join(' ');

export const CREATE_GROUP = [
  'Creates a group and answers it as DeepCall stored it, with `Location: /v1/groups/{id}`. DeepCall',
  'keeps names unique by appending a number to a duplicate, so show the `name` of the answer, not the',
  'one you sent. To retry safely after a lost answer, send an `Idempotency-Key` (a fresh UUID per new',
  'group): the same key and body within 24 hours replay the first answer (header `Idempotent-Replayed:',
  'true`) and create nothing; the same key with another body is a 422; while the first request may still',
  'be running, a 409 (`Retry-After`), never for longer than the request deadline. Exactly once whatever',
  'fails: after a timeout, a lost connection or a crashed replica, a retry with the key finds out from',
  'DeepCall whether the group was created and answers it (replayed) or creates it once. When it cannot',
  'tell (a group of the same name appeared at the same moment) it answers 409',
  '`:idempotency-outcome-unknown` and creates nothing.',
].join(' ');

export const UPDATE_GROUP = [
  'Renames a group, changes its status, or both: send at least one of `name` and `status`. Fields left',
  'out keep their current values. The answer is the group as stored after the change, with its new',
  "`ETag`. Send `If-Match` with the ETag you read to avoid overwriting someone else's change: if the",
  'group changed meanwhile the answer is 412 (`:precondition-failed`) and nothing is written.',
].join(' ');

export const DELETE_GROUP = [
  'Deletes a group for good; DeepCall also removes its agent assignments. Answers 204 with no body. A',
  'group that does not exist (any more) or belongs to another account is a 404. With `If-Match`, the',
  'group is deleted only if it still carries that ETag, else 412 and nothing is deleted.',
].join(' ');

export const IF_MATCH = {
  name: 'If-Match',
  required: false,
  schema: { type: 'string' },
  description:
    'The ETag you read: the write happens only if the group still carries it (else 412, nothing written). `*` matches any existing group.',
} as const;

const ifNoneMatch = (description: string) =>
  ({ name: 'If-None-Match', required: false, schema: { type: 'string' }, description }) as const;

export const IF_NONE_MATCH = ifNoneMatch('The ETag of your copy: 304 with no body while the group still carries it.');

export const IF_NONE_MATCH_PAGE = ifNoneMatch(
  'The ETag of the page you hold (same query): 304 with no body while the page is unchanged.',
);
