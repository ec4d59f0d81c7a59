import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';

/** A group name: trimmed, then 1 to 100 characters, with no control characters. */
export function IsGroupName(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    Length(1, 100, { message: '$property must be 1 to 100 characters after trimming' }),
    Matches(/^\P{Cc}*$/u, { message: '$property must not contain control characters' }),
  );
}
