// The longer OpenAPI descriptions of the group routes (the `description` of each
// @ApiOperation), kept out of the controller so that both read easily. Markdown, one text each.

export const LIST_GROUPS = [
  'The groups of the logged-in account, as `{ "data": [...] }`. `name` keeps only the groups whose name',
  'contains that text, ignoring case; no match is `{ "data": [] }`, not an error. `quick=true` asks',
  'DeepCall for a lighter answer that may leave out status and creation date (`status` is then `active`',
  'and `createdAt` null). Query booleans are `true` or `false`, nothing else.',
].join(' ');

export const GET_GROUP = [
  'One group by its id. A group that does not exist or belongs to another account is a 404 (`type` ends',
  'in `:not-found`); an id that is not a positive integer is a 400 before DeepCall is asked.',
].join(' ');

export const CREATE_GROUP = [
  'Creates a group and answers it as DeepCall stored it, with `Location: /v1/groups/{id}`. DeepCall',
  'keeps names unique by appending a number to a duplicate, so show the `name` of the answer, not the',
  'one you sent. To retry safely after a lost answer, send an `Idempotency-Key` (a fresh UUID per new',
  'group): the same key and body within 24 hours replay the first answer (header `Idempotent-Replayed:',
  'true`) and create nothing; the same key with another body is a 422; while the first request is still',
  'running, a 409.',
].join(' ');

export const UPDATE_GROUP = [
  'Renames a group, changes its status, or both: send at least one of `name` and `status`. Fields left',
  'out keep their current values. The answer is the group as stored after the change.',
].join(' ');

export const DELETE_GROUP = [
  'Deletes a group for good; DeepCall also removes its agent assignments. Answers 204 with no body. A',
  'group that does not exist (any more) or belongs to another account is a 404.',
].join(' ');
