import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, ValidateBy, ValidateIf } from 'class-validator';

export const GROUP_NAME_MAX = 100;

/**
 * Control characters (Cc), invisible format characters (Cf: bidi overrides, zero-width
 * characters), lone surrogates (Cs) and U+FFFD (what a broken encoding turns into).
 */
const REFUSED_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}\uFFFD]/u;

/**
 * A group name: NFC-normalized and trimmed, then 1 to 100 characters, with none of the refused
 * characters. The length is also declared for OpenAPI: the Swagger plugin cannot see through a
 * composed decorator.
 */
export function IsGroupName({ optional = false } = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: !optional, minLength: 1, maxLength: GROUP_NAME_MAX }),
    // Optional means "may be left out", not "may be null" (IsOptional would let null through).
    ...(optional ? [ValidateIf((_object: object, value: unknown) => value !== undefined)] : []),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value)),
    IsString(),
    Length(1, GROUP_NAME_MAX, { message: `$property must be 1 to ${GROUP_NAME_MAX} characters after trimming` }),
    ValidateBy(
      {
        name: 'noInvisibleCharacters',
        validator: { validate: (value: unknown) => typeof value === 'string' && !REFUSED_CHARACTERS.test(value) },
      },
      // Fixed text: the offending characters are invisible, so echoing the value would not help.
      { message: '$property must not contain control, invisible formatting or replacement characters' },
    ),
  );
}
