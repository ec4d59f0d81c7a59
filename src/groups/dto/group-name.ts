import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, ValidateBy, ValidateIf } from 'class-validator';
import { CodePointLength } from '../../core/validation/code-point-length.js';
import { Required } from '../../core/validation/required.js';

const GROUP_NAME_MAX = 100;

/**
 * What a name must not contain once trimmed: control characters (Cc), invisible format
 * characters (Cf: bidi overrides, zero-width characters), lone surrogates (Cs) and U+FFFD (what
 * a broken encoding turns into).
 */
const REFUSED_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}\uFFFD]/u;

/**
 * The same set spelled out as ranges for the document's pattern, so validators without Unicode
 * property escapes read it alike. It lists the Cf characters of the Basic Multilingual Plane;
 * the few outside it (U+110BD, U+E0001… tag characters) are refused by the service only.
 */
const REFUSED = [
  '\\x00-\\x1F\\x7F-\\x9F\\xAD', // control characters and the soft hyphen
  '\\u0600-\\u0605\\u061C\\u06DD\\u070F\\u0890\\u0891\\u08E2\\u180E',
  '\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F', // zero-width and bidi controls
  '\\uFEFF\\uFFF9-\\uFFFB',
  '\\uD800-\\uDFFF\\uFFFD', // lone surrogates and U+FFFD
].join('');

/**
 * The whole rule as one pattern (Unicode regular expression), for the OpenAPI document:
 * optional leading and trailing whitespace (trimmed away, as String.prototype.trim and \s
 * agree), around 1 to 100 code points that start and end with a non-space and contain nothing
 * refused. The one thing it cannot say is the NFC normalization before counting.
 */
const GROUP_NAME_PATTERN = `^\\s*[^\\s${REFUSED}](?:[^${REFUSED}]{0,${GROUP_NAME_MAX - 2}}[^\\s${REFUSED}])?\\s*$`;

/**
 * A group name: NFC-normalized and trimmed, then 1 to 100 characters (code points), with none
 * of the refused characters. The schema is declared here too: the Swagger plugin cannot see
 * through a composed decorator.
 */
export function IsGroupName({ optional = false } = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: !optional, minLength: 1, pattern: GROUP_NAME_PATTERN }),
    // Optional means "may be left out", not "may be null" (IsOptional would let null through).
    ...(optional ? [ValidateIf((_object: object, value: unknown) => value !== undefined)] : [Required()]),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value)),
    IsString({ message: '$property must be a string' }),
    CodePointLength(1, GROUP_NAME_MAX, {
      message: `$property must be 1 to ${GROUP_NAME_MAX} characters after trimming`,
    }),
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
