import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ProblemError } from '../problem/problem.error.js';

const MAX_BODY_DEPTH = 16;

/** How deep objects and arrays nest in a parsed JSON value (iterative: no stack to overflow). */
function nestingDepth(root: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_BODY_DEPTH) return deepest;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return deepest;
}

type Dto = new () => object;

/** Validates bodies and queries against their DTOs; unknown fields are refused, not dropped. */
export class RequestValidationPipe extends ValidationPipe {
  /** DTOs an empty query is valid for: the same answer every time, so asked once per DTO. */
  private readonly validWhenEmpty = new WeakSet<Dto>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Path parameters have pipes of their own, which must see the raw text: converting "1e3"
    // or "01" to a number here would let them through. Custom decorators carry our own values.
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    // Most lists come without a query: its answer is worked out once per DTO, not per request.
    if (metadata.type === 'query' && metadata.metatype && isEmptyObject(value))
      return this.emptyQuery(metadata.metatype as Dto, value, metadata);
    // An array, string or missing body would otherwise be reported field by field.
    if (metadata.type === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ProblemError('validation', 'The request body must be a JSON object.', {
        errors: [{ field: 'body', message: 'body must be a JSON object' }],
      });
    }
    // class-transformer recurses into nested values: a deep enough body would overflow the stack.
    if (metadata.type === 'body' && nestingDepth(value) > MAX_BODY_DEPTH) {
      throw new ProblemError('validation', 'The request body nests too deeply.', {
        errors: [{ field: 'body', message: `body must not nest deeper than ${MAX_BODY_DEPTH} levels` }],
      });
    }
    // Keys named like Object.prototype members (toString, constructor…) slip past the
    // whitelist, which only sees own properties after transformation: refuse them here.
    if (value !== null && typeof value === 'object') {
      const inherited = Object.keys(value).filter((key) => key in Object.prototype);
      if (inherited.length > 0) {
        throw new ProblemError('validation', `The request has ${inherited.length} unaccepted field(s).`, {
          errors: inherited.map((field) => ({ field, message: `${field} is not an accepted field` })),
        });
      }
    }
    return super.transform(value, metadata);
  }

  private async emptyQuery(dto: Dto, value: object, metadata: ArgumentMetadata): Promise<unknown> {
    if (this.validWhenEmpty.has(dto)) return new dto();
    const instance: unknown = await super.transform(value, metadata); // throws when {} is not valid
    this.validWhenEmpty.add(dto);
    return instance;
  }
}

function isEmptyObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  for (const _key in value) return false;
  return true;
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    stopAtFirstError: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = errors.flatMap((error) => flatten(error, ''));
      const count = fields.length === 1 ? '1 invalid field' : `${fields.length} invalid fields`;
      return new ProblemError('validation', `The request has ${count}.`, { errors: fields });
    },
  });
}

function flatten(error: ValidationError, parent: string): FieldError[] {
  const field = parent ? `${parent}.${error.property}` : error.property;
  const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
    field,
    message: constraint === 'whitelistValidation' ? `${field} is not an accepted field` : message,
  }));
  return [...own, ...(error.children ?? []).flatMap((child) => flatten(child, field))];
}
