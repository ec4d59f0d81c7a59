import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches, ValidateIf } from 'class-validator';

export const GROUP_NAME_MAX = 100;

/**
 * A group name: trimmed, then 1 to 100 characters, with no control characters. The length is
 * also declared for OpenAPI: the Swagger plugin cannot see through a composed decorator.
 */
export function IsGroupName({ optional = false } = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: !optional, minLength: 1, maxLength: GROUP_NAME_MAX }),
    // Optional means "may be left out", not "may be null" (IsOptional would let null through).
    ...(optional ? [ValidateIf((_object: object, value: unknown) => value !== undefined)] : []),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    Length(1, GROUP_NAME_MAX, { message: `$property must be 1 to ${GROUP_NAME_MAX} characters after trimming` }),
    Matches(/^\P{Cc}*$/u, { message: '$property must not contain control characters' }),
  );
}
