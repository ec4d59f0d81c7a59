// The report: one line per expectation (verdict, what was expected, what was seen, where the page
// says so), then the totals, then what the service's client makes of each drift.
import { renderCitation } from './doc-citation.js';
import type { Finding, Verdict } from './expectations.js';

const LABEL: Record<Verdict, string> = { agrees: 'ok', drift: 'DRIFT', unchecked: 'n/a' };
const HEADINGS = ['result', 'check', 'expected', 'seen', 'docs/deepcall-upstream.md'];

export function renderReport(findings: Finding[], target: string): string {
  const rows = findings.map((finding) => [
    LABEL[finding.verdict],
    finding.expectation.id,
    finding.expectation.expected,
    finding.seen,
    renderCitation(finding.expectation.reference),
  ]);
  const widths = HEADINGS.map((heading, column) => Math.max(heading.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join(' | ')
      .trimEnd();

  const count = (verdict: Verdict): number => findings.filter((finding) => finding.verdict === verdict).length;
  const drifts = findings.filter((finding) => finding.verdict === 'drift');
  const out = [
    `DeepCall at ${target} compared with docs/deepcall-upstream.md`,
    '',
    line(HEADINGS),
    widths.map((width) => '-'.repeat(width)).join('-|-'),
    ...rows.map(line),
    '',
    `${count('drift')} drift(s), ${count('agrees')} agreement(s), ${count('unchecked')} not checked`,
  ];
  for (const finding of drifts) {
    const tolerated = finding.expectation.tolerated;
    out.push(
      tolerated
        ? `  ${finding.expectation.id}: the service still reads it (${renderCitation(tolerated)}); correct the page and the sandbox's default`
        : `  ${finding.expectation.id}: the page and the service's client do not expect this`,
    );
  }
  return out.join('\n') + '\n';
}
