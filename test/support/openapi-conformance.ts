import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';
import { RESPONSE_HEADERS } from '../../src/core/openapi/response-headers.js';

// ajv-formats is CommonJS: under ESM its function is the default export's default.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

type Json = Record<string, any>;

export interface ReceivedAnswer {
  method: string;
  /** The path with its query string, as sent. */
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, when the answer had one. */
  body: unknown;
  /** The raw body text (empty for none). */
  text: string;
}

export interface DocumentOperation {
  path: string;
  method: string;
  operation: Json;
}

/** What the document says about requests and answers, checked with ajv (+ ajv-formats) against its own schemas. */
export class OpenApiConformance {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly routes: { method: string; path: string; pattern: RegExp; operation: Json }[];

  constructor(readonly document: OpenAPIObject) {
    // OpenAPI 3.0 schemas: `nullable` is known to ajv, `example` is only annotation. Patterns are Unicode.
    this.ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: true });
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi');
    this.routes = this.operations()
      .map(({ path, method, operation }) => ({
        method,
        path,
        operation,
        pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      }))
      // Literal paths before templated ones (/v1/sessions/current before a {param} on the same level).
      .sort((a, b) => Number(a.path.includes('{')) - Number(b.path.includes('{')));
  }

  operations(): DocumentOperation[] {
    return Object.entries(this.document.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Json).map(([method, operation]) => ({ path, method, operation })),
    );
  }

  /** ajv's validator for a schema of the document (inline, or a $ref into it); its $refs point into the document. */
  validator(schema: Json): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(JSON.parse(key.replaceAll('"#/components/', '"openapi#/components/')) as Json);
      this.compiled.set(key, validate);
    }
    return validate;
  }

  /**
   * The ways `answer` breaks the document: an undeclared status, a body that does not match
   * the schema declared for its status and content type, a declared header missing or not
   * matching its schema, a header the service sends that is not declared. An answer to a path
   * and method the document does not describe (health, metrics, /docs, unknown routes) is not
   * its business: none.
   */
  violations(answer: ReceivedAnswer): string[] {
    const path = answer.url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0];
    const route = this.routes.find(
      ({ method, pattern }) => method === answer.method.toLowerCase() && pattern.test(path),
    );
    if (!route) return [];
    const where = `${answer.method.toUpperCase()} ${route.path} → ${answer.status}`;
    const response = this.resolve(route.operation.responses?.[String(answer.status)]);
    if (!response) return [`${where}: status ${answer.status} is not declared`];
    return [...this.bodyViolations(where, response, answer), ...this.headerViolations(where, response, answer)];
  }

  private bodyViolations(where: string, response: Json, answer: ReceivedAnswer): string[] {
    const mediaType = String(answer.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const content = response.content as Json | undefined;
    if (!content) return answer.text.length === 0 ? [] : [`${where}: a body (${mediaType}) where none is declared`];
    if (!content[mediaType])
      return [`${where}: content type "${mediaType}" is not declared (declared: ${Object.keys(content).join(', ')})`];
    const schema = content[mediaType].schema as Json | undefined;
    if (!schema) return [];
    const validate = this.validator(schema);
    return validate(answer.body)
      ? []
      : [`${where}: body does not match ${schema.$ref ?? 'its schema'}: ${this.ajv.errorsText(validate.errors)}`];
  }

  private headerViolations(where: string, response: Json, answer: ReceivedAnswer): string[] {
    const declared = Object.fromEntries(
      Object.entries((response.headers ?? {}) as Json).map(([name, header]) => [
        name.toLowerCase(),
        { name, header: this.resolve(header)! },
      ]),
    );
    const problems: string[] = [];
    for (const { name, header } of Object.values(declared)) {
      const value = answer.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`${where}: required header ${name} is missing`);
        continue;
      }
      const validate = this.validator(header.schema);
      if (!validate(value))
        problems.push(
          `${where}: header ${name} "${String(value)}" does not match its schema: ${this.ajv.errorsText(validate.errors)}`,
        );
    }
    // The headers of the API itself must be declared wherever they are sent.
    for (const name of Object.keys(RESPONSE_HEADERS)) {
      if (answer.headers[name.toLowerCase()] !== undefined && !declared[name.toLowerCase()])
        problems.push(`${where}: header ${name} is sent but not declared`);
    }
    return problems;
  }

  private resolve(value: Json | undefined): Json | undefined {
    let current = value;
    while (current && typeof current.$ref === 'string') {
      current = current.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<Json | undefined>(
          (node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
          this.document as Json,
        );
    }
    return current;
  }
}
