import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ProblemError } from '../problem/problem.error.js';

/** Validates bodies and queries against their DTOs; unknown fields are refused, not dropped. */
export class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Path parameters have pipes of their own, which must see the raw text: converting "1e3"
    // or "01" to a number here would let them through.
    if (metadata.type === 'param') return value;
    // An array, string or missing body would otherwise be reported field by field.
    if (metadata.type === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ProblemError('validation', 'The request body must be a JSON object.', { errors: [{ field: 'body', message: 'body must be a JSON object' }] });
    }
    return super.transform(value, metadata);
  }
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
