import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { type Citation, sectionsOf } from './doc-citation.js';
import { EXPECTATIONS } from './expectations.js';

// Every row of the drift check cites docs/deepcall-upstream.md verbatim: a page edit that drops or
// rewords a statement the check relies on fails here, so the two are changed together.
const sections = sectionsOf(readFileSync(new URL('../../docs/deepcall-upstream.md', import.meta.url), 'utf8'));

function unfound(citation: Citation): string[] {
  const matching = [...sections.keys()].filter((heading) => heading.startsWith(citation.section));
  if (matching.length !== 1) return [`section "${citation.section}" matches ${matching.length} headings`];
  const text = sections.get(matching[0])!;
  return citation.quotes.filter((quote) => !text.includes(quote)).map((quote) => `"${quote}" not in § ${matching[0]}`);
}

describe('the drift check expectations', () => {
  it('have unique ids', () => {
    const ids = EXPECTATIONS.map((expectation) => expectation.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(EXPECTATIONS.map((expectation) => [expectation.id, expectation] as const))(
    '%s quotes docs/deepcall-upstream.md as it is written',
    (_id, expectation) => {
      const citations = [expectation.reference, ...(expectation.tolerated ? [expectation.tolerated] : [])];
      expect(citations.flatMap(unfound)).toEqual([]);
      expect(expectation.reference.quotes.length).toBeGreaterThan(0);
    },
  );

  it('finds a misquote (guards the test itself)', () => {
    expect(unfound({ section: 'add', quotes: ['a duplicate is rejected'] })).toHaveLength(1);
    expect(unfound({ section: 'no such section', quotes: ['x'] })).toHaveLength(1);
  });
});
