import { describe, expect, it } from '@jest/globals';
import { IsOptional, IsString } from 'class-validator';
import { createValidationPipe } from './validation.pipe.js';
import { ProblemError } from '../problem/problem.error.js';

class OptionalQuery {
  @IsOptional()
  @IsString()
  name?: string;
}

class RequiredQuery {
  @IsString()
  name!: string;
}

const asQuery = (metatype: new () => object) => ({ type: 'query' as const, metatype, data: undefined });

describe('RequestValidationPipe with an empty query', () => {
  it('answers a fresh DTO instance every time when the DTO accepts an empty query', async () => {
    const pipe = createValidationPipe();
    const first = await pipe.transform({}, asQuery(OptionalQuery));
    const second = await pipe.transform({}, asQuery(OptionalQuery));
    expect(first).toBeInstanceOf(OptionalQuery);
    expect(second).toBeInstanceOf(OptionalQuery);
    expect(second).not.toBe(first);
    expect(second).toEqual({});
  });

  it('refuses an empty query every time when the DTO needs a field', async () => {
    const pipe = createValidationPipe();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await expect(pipe.transform({}, asQuery(RequiredQuery))).rejects.toBeInstanceOf(ProblemError);
    }
  });

  it('still validates a query that is not empty', async () => {
    const pipe = createValidationPipe();
    await pipe.transform({}, asQuery(OptionalQuery));
    await expect(pipe.transform({ name: 'x', extra: '1' }, asQuery(OptionalQuery))).rejects.toBeInstanceOf(
      ProblemError,
    );
    expect(await pipe.transform({ name: 'x' }, asQuery(OptionalQuery))).toEqual({ name: 'x' });
  });
});
