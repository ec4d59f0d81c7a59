import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { CodePointLength } from '../../core/validation/code-point-length.js';
import { Required } from '../../core/validation/required.js';

// Control characters (Unicode category Cc) spelled out, so validators without Unicode regexps read it alike.
const NO_CONTROL_CHARACTERS = '^[^\\x00-\\x1F\\x7F-\\x9F]*$';

/** A login field: required, a string of 1 to `max` characters, no control characters; sent upstream as is. */
export function IsLoginField(max: number): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ minLength: 1, maxLength: max, pattern: NO_CONTROL_CHARACTERS }),
    Required(),
    IsString({ message: '$property must be a string' }),
    CodePointLength(1, max),
    Matches(new RegExp(NO_CONTROL_CHARACTERS, 'u'), { message: '$property must not contain control characters' }),
  );
}
