import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, ValidateIf } from 'class-validator';
import { CodePointLength } from '../../core/validation/code-point-length.js';
import { Required } from '../../core/validation/required.js';

export const GROUP_NAME_MAX = 100;

/**
 * What a name must not contain once trimmed: control characters (Unicode category Cc, which is
 * exactly these two ranges; spelled out, so validators without Unicode regexps read it alike).
 */
const FORBIDDEN = '\\x00-\\x1F\\x7F-\\x9F';

/**
 * The whole rule as one pattern, for the OpenAPI document: optional leading and trailing
 * whitespace (trimmed away, as String.prototype.trim and \s agree), around 1 to 100 code
 * points that start and end with a non-space and contain nothing forbidden.
 */
export const GROUP_NAME_PATTERN = `^\\s*[^\\s${FORBIDDEN}](?:[^${FORBIDDEN}]{0,${GROUP_NAME_MAX - 2}}[^\\s${FORBIDDEN}])?\\s*$`;

const NOTHING_FORBIDDEN = new RegExp(`^[^${FORBIDDEN}]*$`, 'u');

/**
 * A group name: trimmed, then 1 to 100 characters (code points), with no control characters.
 * The schema is declared here too: the Swagger plugin cannot see through a composed decorator.
 * minLength/maxLength are of the untrimmed value; the pattern holds the exact rule.
 */
export function IsGroupName({ optional = false } = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: !optional, minLength: 1, pattern: GROUP_NAME_PATTERN }),
    // Optional means "may be left out", not "may be null" (IsOptional would let null through).
    ...(optional ? [ValidateIf((_object: object, value: unknown) => value !== undefined)] : [Required()]),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString({ message: '$property must be a string' }),
    CodePointLength(1, GROUP_NAME_MAX, {
      message: `$property must be 1 to ${GROUP_NAME_MAX} characters after trimming`,
    }),
    Matches(NOTHING_FORBIDDEN, { message: '$property must not contain control characters' }),
  );
}
