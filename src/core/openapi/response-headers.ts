import type { HeaderObject, OpenAPIObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import { SANE_REQUEST_ID } from '../request/request-id.js';

/** Every header the service sends, declared once under `components.headers` and referenced from the answers. */
export const RESPONSE_HEADERS = {
  'X-Request-Id': {
    description:
      'The request id (from the gateway when sane, else generated): quote it when reporting a problem. On every answer.',
    required: true,
    schema: { type: 'string', pattern: SANE_REQUEST_ID.source, example: '5f0c6a52-3c2e-4b8e-9a57-2b1f0a7f9c11' },
  },
  traceresponse: {
    description:
      'The trace of this answer (W3C Trace Context Level 2): `00-<trace id>-<span id of this service>-<flags>`. ' +
      'Quote it, or the traceId of a problem, to find the trace. On every answer.',
    required: true,
    schema: {
      type: 'string',
      pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$',
      example: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    },
  },
  Location: {
    description: 'The new resource, e.g. /v1/groups/28.',
    required: true,
    schema: { type: 'string', pattern: '^/v1/groups/[1-9][0-9]*$', example: '/v1/groups/28' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'string', pattern: '^[0-9]+$', example: '30' },
  },
  'Idempotent-Replayed': {
    description: 'Present (`true`) when the answer is the replay of an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'], example: 'true' },
  },
  ETag: {
    description:
      'Entity tag of the answer. One group: strong (from its id, name and status), send it back as If-Match or ' +
      'If-None-Match. A list page: weak (`W/`, over the page as answered), send it back as If-None-Match.',
    required: true,
    schema: { type: 'string', pattern: '^(W/)?"[A-Za-z0-9_-]+"$', example: '"kXh3fQ2vJ0bWm9PzL4sT8yNcRe1"' },
  },
  Allow: {
    description: 'The methods this path serves.',
    required: true,
    schema: { type: 'string', example: 'GET, HEAD, POST' },
  },
  'RateLimit-Policy': {
    description:
      'The limit that refused the request (IETF RateLimit headers draft), when the service set it: e.g. `"login-account";q=5;w=900`.',
    schema: { type: 'string', example: '"login-account";q=5;w=900' },
  },
  RateLimit: {
    description: 'What is left of that limit and when it resets, in seconds: e.g. `"login-account";r=0;t=840`.',
    schema: { type: 'string', example: '"login-account";r=0;t=840' },
  },
  'WWW-Authenticate': {
    description: 'The accepted schemes: Bearer (a session) and Basic (the DeepCall login).',
    required: true,
    schema: { type: 'string', example: 'Bearer realm="groups-bff", Basic realm="groups-bff", charset="UTF-8"' },
  },
} satisfies Record<string, HeaderObject>;

export type ResponseHeader = keyof typeof RESPONSE_HEADERS;

/** Headers every answer carries, whatever the route and status. */
const ON_EVERY_ANSWER: ResponseHeader[] = ['X-Request-Id', 'traceresponse'];

/** Headers that go with a status on every route. Headers of one operation only are declared on it (`responseHeaders`). */
const BY_STATUS: Record<string, ResponseHeader[]> = {
  '401': ['WWW-Authenticate'],
  '405': ['Allow'],
  '409': ['Retry-After'],
  '429': ['Retry-After', 'RateLimit-Policy', 'RateLimit'],
  '503': ['Retry-After'],
};

/** A response's `headers` entry for the named headers (references to `components.headers`). */
export function responseHeaders(...names: ResponseHeader[]): Record<string, ReferenceObject> {
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

/** Adds the headers of `ON_EVERY_ANSWER` and `BY_STATUS` to every response of the document. */
export function declareResponseHeaders(document: OpenAPIObject): void {
  document.components = { ...document.components, headers: { ...document.components?.headers, ...RESPONSE_HEADERS } };
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods as Record<string, { responses?: Record<string, ResponseObject> }>)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        response.headers = {
          ...response.headers,
          ...responseHeaders(...ON_EVERY_ANSWER, ...(BY_STATUS[status] ?? [])),
        };
      }
    }
  }
}
