import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A string of `min` to `max` characters, counted as Unicode code points: the way JSON Schema's
 * minLength and maxLength count, so the OpenAPI document and the service agree on every string.
 */
export function CodePointLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'codePointLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && within([...value].length, min, max),
        defaultMessage: () => `$property must be ${min} to ${max} characters`,
      },
    },
    options,
  );
}

const within = (length: number, min: number, max: number) => length >= min && length <= max;
