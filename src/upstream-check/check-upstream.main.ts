// `npm run check:upstream`: compares the configured DeepCall with docs/deepcall-upstream.md and
// prints the table. Exit 0: no drift; 1: a drift; 2: could not check (settings, no answer, an
// error); 130/143: stopped by SIGINT/SIGTERM. Whatever ends the run, the groups it made are deleted.
import { inspect } from 'node:util';

import { readCheckSettings } from './check-settings.js';
import { CreatedGroups, type CleanupReport, deleteCreated } from './created-groups.js';
import { assessAll } from './expectations.js';
import { renderReport } from './drift-table.js';
import { type Observations, runProbe, runNames } from './probe-steps.js';
import { upstreamPost } from './upstream-http.js';

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

async function main(): Promise<number> {
  const read = readCheckSettings(process.env);
  if (!read.ok) {
    console.error(`check:upstream cannot run:\n${read.problems.map((problem) => `  - ${problem}`).join('\n')}`);
    return 2;
  }
  const { baseUrl, userId, token, timeoutMs } = read.settings;
  const credentials = { userId, token };

  // A first signal stops the probe (its call in flight is abandoned) and lets the cleanup run;
  // a second one abandons the cleanup too.
  const probeStop = new AbortController();
  const cleanupStop = new AbortController();
  let stoppedBy: string | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppedBy !== undefined) return cleanupStop.abort();
    stoppedBy = signal;
    console.error(`${signal}: stopping; deleting the groups the check created (again to give up)`);
    probeStop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const created = new CreatedGroups();
  const seen: Observations = runNames();
  console.error(`Checking DeepCall at ${baseUrl} as user ${userId} (groups named "${seen.runName}…")`);
  let failure: unknown;
  try {
    await runProbe(upstreamPost(baseUrl, timeoutMs, probeStop.signal), credentials, created, seen);
  } catch (error) {
    if (!probeStop.signal.aborted) failure = error;
  }
  const cleanup = await cleanUp(created, upstreamPost(baseUrl, timeoutMs, cleanupStop.signal), credentials, seen);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);

  if (stoppedBy !== undefined) return SIGNAL_EXIT[stoppedBy] ?? 1;
  if (failure !== undefined) {
    console.error(`check:upstream failed: ${messageOf(failure)}`);
    return 2;
  }
  const findings = assessAll(seen);
  process.stdout.write(renderReport(findings, baseUrl));
  if (findings.some((finding) => finding.verdict === 'drift')) return 1;
  if (findings.some((finding) => finding.verdict === 'unchecked') || cleanup.leftBehind.length > 0) return 2;
  return 0;
}

async function cleanUp(
  created: CreatedGroups,
  post: ReturnType<typeof upstreamPost>,
  credentials: { userId: string; token: string },
  seen: Observations,
): Promise<CleanupReport> {
  let report: CleanupReport;
  try {
    report = await deleteCreated(created, post, credentials, seen.runName);
  } catch {
    report = { deleted: [], leftBehind: created.remaining().map(String) };
  }
  if (report.deleted.length > 0)
    console.error(`Deleted what the check had left: group(s) ${report.deleted.join(', ')}`);
  if (report.leftBehind.length > 0)
    console.error(`NOT deleted, remove by hand: group(s) ${report.leftBehind.join(', ')} (user ${credentials.userId})`);
  return report;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : inspect(error);
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`check:upstream failed: ${messageOf(error)}`);
    process.exitCode = 2;
  },
);
