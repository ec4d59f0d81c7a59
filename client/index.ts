// A tiny typed client for groups-bff: openapi-fetch over the types generated from the OpenAPI
// document (schema.d.ts), plus `unwrap`, which turns every error answer into a ProblemError.
import createClient, { type Client } from 'openapi-fetch';
import { isProblem, ProblemError, UnexpectedResponseError } from './problem.js';
import type { components, operations, paths } from './schema.js';

export { isProblem, isProblemError, PROBLEM_TYPES, ProblemError, UnexpectedResponseError } from './problem.js';
export type { Problem, ProblemKind } from './problem.js';
export type { components, operations, paths } from './schema.js';

export type Group = components['schemas']['GroupDto'];
export type GroupStatus = Group['status'];
export type GroupList = components['schemas']['GroupListDto'];
export type Session = components['schemas']['SessionDto'];
export type CurrentSession = components['schemas']['CurrentSessionDto'];
export type ListGroupsQuery = NonNullable<operations['listGroups']['parameters']['query']>;

export type GroupsClient = Client<paths>;

export interface GroupsClientAuth {
  /** From `POST /v1/sessions`: sent as `Authorization: Bearer <sessionId>`. */
  sessionId?: string;
  /** The DeepCall login itself, sent as Basic credentials (server callers, scripts). */
  basic?: { userId: string; token: string };
}

/**
 * A client for the service at `baseUrl` (e.g. `https://api.example.com`, no trailing slash).
 * Without auth it can only log in (`POST /v1/sessions`).
 */
export function createGroupsClient(
  baseUrl: string,
  auth: GroupsClientAuth = {},
  options: { fetch?: typeof fetch } = {},
): GroupsClient {
  if (auth.sessionId !== undefined && auth.basic !== undefined)
    throw new TypeError('Pass either sessionId or basic, not both');
  const authorization =
    auth.sessionId !== undefined
      ? `Bearer ${auth.sessionId}`
      : auth.basic && `Basic ${base64Utf8(`${auth.basic.userId}:${auth.basic.token}`)}`;
  return createClient<paths>({
    baseUrl,
    headers: authorization ? { Authorization: authorization } : {},
    ...(options.fetch && { fetch: options.fetch }),
  });
}

/**
 * The data of a successful answer; throws ProblemError for an error answer, so callers can
 * `await unwrap(client.GET(...))` and handle failures in one catch.
 */
export async function unwrap<Data>(
  pending: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Data> {
  const { data, error, response } = await pending;
  if (response.ok) return data as Data;
  throw isProblem(error) ? new ProblemError(error, response) : new UnexpectedResponseError(response);
}

/** Data with the version it was read at: send `etag` back as If-Match (no lost updates) or If-None-Match. */
export interface Versioned<Data> {
  data: Data;
  etag: string;
}

/**
 * Like `unwrap`, keeping the answer's ETag (GET, POST and PATCH of one group carry one). A 304
 * (the copy sent as If-None-Match is current) resolves to undefined: keep using that copy.
 */
export async function unwrapVersioned<Data>(
  pending: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Versioned<Data> | undefined> {
  const { data, error, response } = await pending;
  if (response.status === 304) return undefined;
  if (!response.ok) throw isProblem(error) ? new ProblemError(error, response) : new UnexpectedResponseError(response);
  const etag = response.headers.get('etag');
  if (etag === null) throw new UnexpectedResponseError(response);
  return { data: data as Data, etag };
}

/**
 * The whole list, one page (`limit` groups) per request, following `next` to the last page.
 * Keyset paging: groups created or deleted meanwhile neither repeat nor skip others.
 */
export async function* groupPages(
  api: GroupsClient,
  query: Omit<ListGroupsQuery, 'cursor' | 'limit'> & { limit: number },
): AsyncGenerator<Group[]> {
  let cursor: string | null = null;
  do {
    const page: GroupList = await unwrap(
      api.GET('/v1/groups', { params: { query: cursor === null ? query : { ...query, cursor } } }),
    );
    yield page.data;
    cursor = page.next;
  } while (cursor !== null);
}

// btoa takes Latin-1 only; logins may hold any character, and the service reads Basic as UTF-8.
function base64Utf8(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}
