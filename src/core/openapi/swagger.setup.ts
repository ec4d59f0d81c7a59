import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { declareSchemaRules } from './schema-rules.js';
import { declareResponseHeaders } from './response-headers.js';

const DESCRIPTION = `Manage DeepCall agent groups over REST.

Log in once with \`POST /v1/sessions\` and send \`Authorization: Bearer <sessionId>\`, or send the
DeepCall login itself as Basic credentials (\`userId:token\`).

Every error is \`application/problem+json\` (RFC 9457): branch on \`type\` or \`status\`; quote
\`requestId\` when reporting one. Repeated failed logins of one account are refused for a while
(\`429\` with \`Retry-After\`). One user's DeepCall calls beyond what may run at once wait their
turn within the request deadline; only when that user's queue is full is a request \`429\` with
\`Retry-After\`. A known path called with a method it does not serve is a \`405\`
with \`Allow\`.

This document is exact: a request its schemas accept is not refused as invalid, and one they
refuse is a 400 before DeepCall is called. Query parameters other than those listed are a 400
too. Names are trimmed before their length is counted: the \`pattern\` says so exactly.`;

/** Where a generic client calls when the document is read from a file: the service's default port. */
const DEFAULT_SERVER = 'http://localhost:3000';
const SANE_HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

// Only true of the built-in sandbox: a real DeepCall has no such login.
const SANDBOX_NOTE = `

With the built-in sandbox, the demo login is \`demo\` / \`demo-token\`: press **Authorize** and
fill in the Basic scheme.`;

export interface OpenApiOptions {
  publicBaseUrl?: string;
  /** The built-in sandbox is the upstream: the document tells its demo login. */
  sandbox?: boolean;
}

export function buildOpenApiDocument(
  app: INestApplication,
  { publicBaseUrl, sandbox = false }: OpenApiOptions = {},
): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Groups BFF')
    .setDescription(sandbox ? DESCRIPTION + SANDBOX_NOTE : DESCRIPTION)
    .setVersion('1')
    // An opaque session id, not a JWT (DocumentBuilder's default bearerFormat).
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'session id',
        description: 'A sessionId from POST /v1/sessions.',
      },
      'session',
    )
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'The DeepCall login: userId as username, API token as password.' },
      'deepcall-login',
    )
    .addTag('sessions', 'Log in and out')
    .addTag('groups', 'DeepCall agent groups');
  // Behind the gateway, clients must call its public URL; otherwise where the document was read (set per request).
  if (publicBaseUrl) builder.addServer(publicBaseUrl, 'Through the API gateway');
  else builder.addServer(DEFAULT_SERVER, 'This server (the live document names the origin it was read from)');
  const config = builder.build();
  config.info.license = { name: 'UNLICENSED (proprietary)' };
  const document = SwaggerModule.createDocument(app, config);
  declareSchemaRules(document);
  declareResponseHeaders(document);
  return document;
}

/**
 * The document as served: without PUBLIC_BASE_URL, its server is the absolute origin the
 * document was read from, so a generic client (swagger-client, Postman) given the document
 * as an object knows where to call. A relative "/" only works for a page on that origin.
 */
function servedFrom(request: FastifyRequest, reply: FastifyReply, document: OpenAPIObject): OpenAPIObject {
  const host = request.host;
  if (!SANE_HOST.test(host)) return document;
  // Made from the request's Host: a shared cache must not hand it to requests for another host.
  reply.header('cache-control', 'no-store');
  return { ...document, servers: [{ url: `${request.protocol}://${host}`, description: 'This server' }] };
}

/** Swagger UI at /docs, the OpenAPI document at /docs-json. */
export function setupSwagger(app: INestApplication, options: OpenApiOptions = {}): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, options), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    // validatorUrl null: Swagger UI would otherwise send the document's URL to validator.swagger.io.
    // persistAuthorization off: a Basic login typed there is the long-lived DeepCall token, and
    // would otherwise stay in the browser's localStorage.
    swaggerOptions: { persistAuthorization: false, displayRequestDuration: true, validatorUrl: null },
    ...(!options.publicBaseUrl && {
      patchDocumentOnRequest: <Request, Reply>(request: Request, reply: Reply, document: OpenAPIObject) =>
        servedFrom(request as FastifyRequest, reply as FastifyReply, document),
    }),
  });
}
