import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

const DESCRIPTION = `Manage DeepCall agent groups over REST.

Log in once with \`POST /v1/sessions\` and send \`Authorization: Bearer <sessionId>\`, or send the
DeepCall login itself as Basic credentials (\`userId:token\`).

Every error is \`application/problem+json\` (RFC 9457): branch on \`type\` or \`status\`; quote
\`requestId\` when reporting one. Repeated failed logins of one account are refused for a while
(\`429\` with \`Retry-After\`); a known path called with a method it does not serve is a \`405\`
with \`Allow\`.`;

// Only true of the built-in sandbox: a real DeepCall has no such login.
const SANDBOX_NOTE = `

With the built-in sandbox, the demo login is \`demo\` / \`demo-token\`: press **Authorize** and
fill in the Basic scheme.`;

export interface OpenApiOptions {
  publicBaseUrl?: string;
  /** The built-in sandbox is the upstream: the document tells its demo login. */
  sandbox?: boolean;
}

export function buildOpenApiDocument(app: INestApplication, { publicBaseUrl, sandbox = false }: OpenApiOptions = {}): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Groups BFF')
    .setDescription(sandbox ? DESCRIPTION + SANDBOX_NOTE : DESCRIPTION)
    .setVersion('1')
    // An opaque session id, not a JWT (DocumentBuilder's default bearerFormat).
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'session id', description: 'A sessionId from POST /v1/sessions.' }, 'session')
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'The DeepCall login: userId as username, API token as password.' }, 'deepcall-login')
    .addTag('sessions', 'Log in and out')
    .addTag('groups', 'DeepCall agent groups');
  // Behind the gateway, Try it out must call its public URL; otherwise wherever /docs is served.
  if (publicBaseUrl) builder.addServer(publicBaseUrl, 'Through the API gateway');
  else builder.addServer('/', 'This server');
  return SwaggerModule.createDocument(app, builder.build());
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
  });
}
