import { describe, expect, it } from '@jest/globals';
import { MalformedGroupsError, parseGroupRecords, toIsoDate } from './group-records.parser.js';

describe('parseGroupRecords (tolerant list parsing)', () => {
  it('reads an array of snake_case records', () => {
    const groups = parseGroupRecords([
      { id: 28, name: 'Sales Team', user_id: 'u', status: 1, create_date: '2024-10-10 12:42:13' },
    ]);
    expect(groups).toEqual([{ id: 28, name: 'Sales Team', active: true, createdAt: '2024-10-10T12:42:13.000Z' }]);
  });

  it.each(['id', 'groupId', 'group_id', 'groupid'])('finds the id under %s, as number or string', (field) => {
    expect(parseGroupRecords([{ [field]: 7, name: 'a' }])[0].id).toBe(7);
    expect(parseGroupRecords([{ [field]: '8', name: 'b' }])[0].id).toBe(8);
  });

  it('reads an object keyed by id, taking the id from the key when the record has none', () => {
    const groups = parseGroupRecords({ '5': { name: 'five', status: 0 }, '6': { id: 6, name: 'six' } });
    expect(groups.map((group) => [group.id, group.name, group.active])).toEqual([
      [5, 'five', false],
      [6, 'six', undefined],
    ]);
  });

  it.each([undefined, null, '', [], {}])('reads %p as no groups', (response) => {
    expect(parseGroupRecords(response)).toEqual([]);
  });

  it.each(['1', '0', 'active', 'inactive', true, false, 1, 0])('understands status %p', (status) => {
    const active = parseGroupRecords([{ id: 1, name: 'x', status }])[0].active;
    expect(active).toBe([1, '1', 'active', true].includes(status));
  });

  it('leaves an unknown status undefined and a missing date null', () => {
    expect(parseGroupRecords([{ id: 1, name: 'x', status: 'weird' }])[0]).toEqual({
      id: 1,
      name: 'x',
      active: undefined,
      createdAt: null,
    });
  });

  it.each([[[{ name: 'no id' }]], [[{ id: 3 }]], [[{ id: -1, name: 'neg' }]], [['str']], ['text'], [42]])(
    'refuses malformed data %p',
    (response) => {
      expect(() => parseGroupRecords(response)).toThrow(MalformedGroupsError);
    },
  );
});

describe('toIsoDate', () => {
  it('reads zone-less upstream dates as UTC', () => {
    expect(toIsoDate('2024-10-10 12:42:13')).toBe('2024-10-10T12:42:13.000Z');
  });

  it('keeps an explicit zone', () => {
    expect(toIsoDate('2024-10-10T12:42:13+02:00')).toBe('2024-10-10T10:42:13.000Z');
  });

  it('reads epoch seconds and milliseconds', () => {
    expect(toIsoDate(1728564133)).toBe('2024-10-10T12:42:13.000Z');
    expect(toIsoDate(1728564133000)).toBe('2024-10-10T12:42:13.000Z');
  });

  it('knows leap years', () => {
    expect(toIsoDate('2024-02-29 00:00:00')).toBe('2024-02-29T00:00:00.000Z');
    expect(toIsoDate('2023-02-29 00:00:00')).toBeNull();
    expect(toIsoDate('1900-02-29 00:00:00')).toBeNull();
    expect(toIsoDate('2000-02-29 23:59:59')).toBe('2000-02-29T23:59:59.000Z');
  });

  it('reads a date without seconds', () => {
    expect(toIsoDate('2024-10-10 12:42')).toBe('2024-10-10T12:42:00.000Z');
  });

  it.each([
    '0000-00-00 00:00:00',
    '2024-13-01 00:00:00',
    '2024-02-30 10:00:00',
    '2024-01-01 24:30:00',
    'yesterday',
    '',
    null,
    {},
  ])('gives null for %p', (value) => {
    expect(toIsoDate(value)).toBeNull();
  });
});
