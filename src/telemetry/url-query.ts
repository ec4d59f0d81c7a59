/**
 * The query parameters this service defines (GET /v1/groups: docs/api-contract.md). Their values
 * are the caller's filters and our cursors; any other parameter's value is not ours to record.
 */
export const OWNED_QUERY_PARAMETERS: ReadonlySet<string> = new Set(['name', 'quick', 'forward', 'limit', 'cursor']);

/**
 * `url.query` as the semantic conventions ask: the query as sent, with the value of every
 * parameter the service does not own replaced by `REDACTED` (a bare word, which could be a
 * token, as a whole). Undefined without a query.
 */
export function redactedQuery(url: string): string | undefined {
  const start = url.indexOf('?');
  if (start === -1) return undefined;
  return url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair === '' ? pair : 'REDACTED';
      const key = pair.slice(0, equals);
      return OWNED_QUERY_PARAMETERS.has(decodedKey(key)) ? pair : `${key}=REDACTED`;
    })
    .join('&');
}

function decodedKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}
