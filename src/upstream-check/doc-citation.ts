// Where docs/deepcall-upstream.md says what a row expects: a section and its words, verbatim (the
// unit test checks that every quote is in that section, so the check and the page stay in step).

export interface Citation {
  /** The start of the section's heading, e.g. "add" for "### add — `POST /api/v2/Group/add`". */
  section: string;
  /** Words of that section, as written (markdown emphasis and code marks left out). */
  quotes: string[];
  /** The words are one of the page's **[assumed]** statements. */
  assumed?: boolean;
  /** Ours, not the page's: how the row reads the quote. */
  note?: string;
}

export function renderCitation(citation: Citation): string {
  const quotes = citation.quotes.map((quote) => `"${quote}"`).join(', ');
  const note = citation.note === undefined ? '' : ` (${citation.note})`;
  return `§ ${citation.section}${citation.assumed ? ' [assumed]' : ''}: ${quotes}${note}`;
}

/** The page's sections, heading -> text, both without markdown marks and with single spaces. */
export function sectionsOf(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  let heading = '';
  for (const line of markdown.split('\n')) {
    const match = /^#{1,6}\s+(.*)$/.exec(line);
    if (match) heading = plainText(match[1]);
    else sections.set(heading, `${sections.get(heading) ?? ''} ${plainText(line)}`);
  }
  return sections;
}

/** Markdown without `code` and **emphasis** marks, whitespace collapsed. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\*\*|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
