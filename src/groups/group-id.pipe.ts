import { Injectable, PipeTransform } from '@nestjs/common';
import { ProblemError } from '../core/problem/problem.error.js';

/** `{id}` must be a positive integer in plain decimal; checked before anything goes upstream. */
@Injectable()
export class GroupIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^[1-9]\d{0,15}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(id)) {
      throw new ProblemError('validation', 'The group id in the path is not valid.', {
        errors: [{ field: 'id', message: 'id must be a positive integer' }],
      });
    }
    return id;
  }
}
