// The longer OpenAPI descriptions of the session routes (the `description` of each
// @ApiOperation), kept out of the controller so that both read easily. Markdown, one text each.

export const CREATE_SESSION = [
  'Checks the DeepCall login (account id and API token) with DeepCall and answers a `sessionId`: send',
  'it as `Authorization: Bearer <sessionId>` on every other call. Bad credentials are a 401 at once.',
  'The session ends after a while without use (`expiresAt`, which each use moves forward) and after a',
  'maximum age in any case; a 401 later means: log in again. Keep the session id like a password.',
].join(' ');

export const DELETE_CURRENT_SESSION = [
  'Revokes the session in the `Authorization` header at once, on every server: later calls with it are',
  'a 401. With Basic credentials, forgets the cached login, so the next call logs in to DeepCall again.',
  'Answers 204 with no body.',
].join(' ');
