import { describe, expect, it } from '@jest/globals';

import { pickFreeName } from './sandbox-store.js';

describe('pickFreeName', () => {
  const takenOf = (...names: string[]) => {
    const taken = new Set(names.map((name) => name.toLowerCase()));
    return (lower: string) => taken.has(lower);
  };

  it('keeps a free name as given', () => {
    expect(pickFreeName('Sales', takenOf('Support'))).toBe('Sales');
  });

  it('appends the first free number, case-insensitively', () => {
    expect(pickFreeName('Sales', takenOf('sales'))).toBe('Sales 1');
    expect(pickFreeName('Sales', takenOf('SALES', 'sales 1', 'Sales 3'))).toBe('Sales 2');
  });
});
