import { Injectable, PipeTransform } from '@nestjs/common';
import { ProblemError } from '../core/problem/problem.error.js';

/** The largest group id accepted: the largest integer a JavaScript front end holds exactly. */
export const GROUP_ID_MAX = Number.MAX_SAFE_INTEGER;

/** `{id}` must be a positive integer in plain decimal, at most GROUP_ID_MAX; checked before anything goes upstream. */
@Injectable()
export class GroupIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^[1-9]\d{0,15}$/.test(value) ? Number(value) : Number.NaN;
    if (!(id <= GROUP_ID_MAX)) {
      throw new ProblemError('validation', 'The group id in the path is not valid.', {
        errors: [{ field: 'id', message: 'id must be a positive integer' }],
      });
    }
    return id;
  }
}
