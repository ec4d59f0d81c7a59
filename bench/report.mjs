// The one table the bench prints, the bar's PASS/FAIL verdicts, and the JSON it writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR } from './processes.mjs';

/**
 * The bar (the performance issue's table). Throughput is judged against R (the minimal reference
 * forwarder) and F0 (the mandated stack's floor) from the same run, CPU per request against F0,
 * p99 against R at the same rate, the 10k list against F (R reads only the hot-path sessions).
 */
export const BAR = {
  ratioBR: 0.55,
  ratioBF0: 0.9,
  cpuTimesF0: 1.1,
  addedP50Ms: 1,
  p99TimesR: 2,
  allocatedKbPerRequest: 40,
  rssMb: 150,
  soakRssGrowth: 0.05,
  soakSeconds: 3600,
  yardstickRatio: 0.6,
  bigListTimeRatio: 2,
  /** The tracing issue's cost goals, against the same build with tracing made inert (two such Bs). */
  tracing: {
    propagation: { rpsLoss: 0.03, cpuUs: 5 },
    'export 100 %': { rpsLoss: 0.15 },
    'export 10 %': { rpsLoss: 0.05 },
  },
};

/** The bar as the table prints it, from BAR. */
const LABEL = {
  ratioBR: `B/R ≥ ${BAR.ratioBR.toFixed(2)}`,
  ratioBF0: `B/F0 ≥ ${BAR.ratioBF0.toFixed(2)}`,
  cpu: `≤ ${BAR.cpuTimesF0} × F0`,
  allocated: `B ≤ ${BAR.allocatedKbPerRequest} KB`,
  soak: `< +${BAR.soakRssGrowth * 100}%`,
  rss: `B ≤ ${BAR.rssMb} MB`,
  tracing: (goal) => [`≤ ${goal.rpsLoss * 100} % req/s`, goal.cpuUs && `≤ ${goal.cpuUs} µs`].filter(Boolean).join(', '),
  instructions: (goal) => `≤ +${n(instructionAllowance(goal) * 100, 1)} % (${goal.rpsLoss * 100} % req/s)`,
};

/**
 * The req/s goal as counted instructions: a process busy on one core serves requests at a rate
 * inverse to the instructions each takes (at the same instructions per cycle), so losing at most
 * `rpsLoss` of the rate allows 1 / (1 − rpsLoss) − 1 more instructions per request.
 */
function instructionAllowance(goal) {
  return 1 / (1 - goal.rpsLoss) - 1;
}

/** A tracing variant's cost within its goal: req/s lost against the inert Bs, and CPU added. */
function tracingWithin(cost, goal) {
  return 1 - cost.rpsVsUntraced <= goal.rpsLoss && (goal.cpuUs === undefined || cost.cpuUsVsUntraced <= goal.cpuUs);
}

const n = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const pct = (share) => (Number.isFinite(share) ? `${Math.round(share * 100)}%` : '—');
const pct1 = (share) => (Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : '—');
const plus = (value, digits = 2) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(digits)}` : '—');
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

/** Verdicts for whatever the run measured; each {key, name, ok}: the table's verdict cells too. */
export function verdicts(r) {
  const out = [];
  const judge = (key, name, ok) => out.push({ key, name, ok });
  const hp = r.hotPath;
  if (hp && Number.isFinite(hp.ratioBR)) judge('hotPath', `hot path ${LABEL.ratioBR}`, hp.ratioBR >= BAR.ratioBR);
  if (hp && Number.isFinite(hp.ratioBF0)) {
    judge('floor', `hot path ${LABEL.ratioBF0}`, hp.ratioBF0 >= BAR.ratioBF0);
    judge(
      'cpu',
      `CPU per request ${LABEL.cpu}`,
      hp.summary.B.cpuUsPerRequest <= BAR.cpuTimesF0 * hp.summary.F0.cpuUsPerRequest,
    );
  }
  if (r.latency) {
    const s = r.latency.summary;
    judge('addedP50', 'added p50 ≤ 1 ms', r.latency.added.B.p50 <= BAR.addedP50Ms);
    if (s.R) judge('p99', "p99 ≤ 2× R's p99", s.B.p99 <= BAR.p99TimesR * s.R.p99);
  }
  if (r.yardstick)
    judge(
      'yardstick',
      "hot path B/R ≥ 0.60, the yardstick's method (coalescing on)",
      r.yardstick.ratioBR >= BAR.yardstickRatio,
    );
  if (r.allocations)
    judge(
      'allocated',
      `heap allocated per request ${LABEL.allocated}`,
      r.allocations.summary.B.bytesPerRequest / 1000 <= BAR.allocatedKbPerRequest,
    );
  if (r.memory) judge('rss', `RSS after hot-path load ${LABEL.rss}`, r.memory.afterHotPath.B.rssMb <= BAR.rssMb);
  if (r.bigList) judge('bigList', '10k list ≤ 2× F time', r.bigList.timeRatioBF <= BAR.bigListTimeRatio);
  for (const [variant, goal] of Object.entries(BAR.tracing))
    if (r.tracing?.summary[variant])
      judge(
        `tracing ${variant}`,
        `tracing, ${variant}: ${LABEL.tracing(goal)}`,
        tracingWithin(r.tracing.summary[variant], goal),
      );
  for (const [variant, goal] of Object.entries(BAR.tracing))
    if (r.instructions?.summary[variant])
      judge(
        `instructions ${variant}`,
        `tracing, ${variant}, counted: ${LABEL.instructions(goal)} instructions per request`,
        r.instructions.summary[variant].moreThanUntraced <= instructionAllowance(goal),
      );
  if (r.errors !== undefined) judge('errors', 'no errors', r.errors === 0);
  return out;
}

export function table(r) {
  const judged = Object.fromEntries(verdicts(r).map(({ key, ok }) => [key, ok]));
  // '—' where verdicts() judged nothing (say, no R in the run to compare with).
  const verdictOf = (key) => (key in judged ? verdict(judged[key]) : '—');
  const rows = [['measure', 'U', 'R', 'F', 'B', 'B vs R / F', 'bar', 'verdict']];
  const hp = r.hotPath;
  if (hp) {
    const s = hp.summary;
    rows.push([
      `hot path: max throughput (req/s, ${hp.connections} conns)`,
      n(s.U?.rps),
      n(s.R?.rps),
      n(s.F?.rps),
      n(s.B.rps),
      `B/R ${n(hp.ratioBR, 2)} B/F ${n(hp.ratioBF, 2)}`,
      LABEL.ratioBR,
      verdictOf('hotPath'),
    ]);
    rows.push([
      '  per-round B/R; B/F',
      '',
      '',
      '',
      '',
      `${(hp.ratioRoundsBR ?? []).join(' ')}; ${hp.ratioRounds.join(' ')}`,
      '',
      '',
    ]);
    if (s.F0)
      rows.push([
        "  F0, the mandated stack's floor (req/s; CPU µs/req)",
        '',
        '',
        `${n(s.F0.rps)}; ${n(s.F0.cpuUsPerRequest)}`,
        '',
        `F0/R ${n(s.F0.rps / s.R?.rps, 2)}; B/F0 ${n(hp.ratioBF0, 2)} (${hp.ratioRoundsBF0.join(' ')})`,
        LABEL.ratioBF0,
        verdictOf('floor'),
      ]);
    rows.push([
      '  CPU per request of the server (µs)',
      n(s.U?.cpuUsPerRequest),
      n(s.R?.cpuUsPerRequest),
      n(s.F?.cpuUsPerRequest),
      n(s.B.cpuUsPerRequest),
      `R/B ${n(s.R?.cpuUsPerRequest / s.B.cpuUsPerRequest, 2)} F/B ${n(s.F?.cpuUsPerRequest / s.B.cpuUsPerRequest, 2)}${s.F0 ? ` B/F0 ${n(s.B.cpuUsPerRequest / s.F0.cpuUsPerRequest, 2)}` : ''}`,
      s.F0 ? LABEL.cpu : '',
      s.F0 ? verdictOf('cpu') : '',
    ]);
    rows.push([
      '  server process CPU busy',
      pct(s.U?.serverCoreBusy),
      pct(s.R?.serverCoreBusy),
      pct(s.F?.serverCoreBusy),
      pct(s.B.serverCoreBusy),
      '',
      '',
      '',
    ]);
    rows.push([
      '  other processes on the server core (worst round)',
      '',
      pct1(s.R?.neighbours),
      pct1(s.F?.neighbours),
      pct1(s.B.neighbours),
      '',
      '',
      '',
    ]);
    rows.push([
      '  driver core busy (load+sandbox+redis)',
      pct(s.U?.driverCoreBusy),
      pct(s.R?.driverCoreBusy),
      pct(s.F?.driverCoreBusy),
      pct(s.B.driverCoreBusy),
      '',
      '',
      '',
    ]);
    if (r.baseline) {
      const now = guardedRatio(hp, r.baseline);
      rows.push([
        `  baseline ${r.baseline.guards ?? 'B/F'} (bench/baseline.json)`,
        '',
        '',
        '',
        '',
        `${n(r.baseline.hotPathRatio, 2)} → now ${n((now / r.baseline.hotPathRatio) * 100)}%`,
        '≥ 50% of it',
        verdict(now >= r.baseline.hotPathRatio / 2),
      ]);
    }
  }
  const ys = r.yardstick;
  if (ys) {
    const { B, R } = ys.summary;
    rows.push([
      `yardstick's method: ${ys.tool} -c${ys.connections}, one session (req/s)`,
      '',
      n(R.rps),
      '',
      n(B.rps),
      `B/R ${n(ys.ratioBR, 2)} (${ys.ratioRounds.map((x) => n(x, 2)).join(' ')})`,
      'B/R ≥ 0.60',
      verdictOf('yardstick'),
    ]);
    rows.push([
      '  upstream calls per request (B shares identical reads)',
      '',
      n(R.upstreamPerRequest, 3),
      '',
      n(B.upstreamPerRequest, 3),
      '',
      '',
      '',
    ]);
    rows.push([
      '  p50 / p99 (ms); CPU per request (µs)',
      '',
      `${n(R.p50, 2)} / ${n(R.p99, 2)}; ${n(R.cpuUsPerRequest)}`,
      '',
      `${n(B.p50, 2)} / ${n(B.p99, 2)}; ${n(B.cpuUsPerRequest)}`,
      '',
      '',
      '',
    ]);
  }
  const lt = r.latency;
  if (lt) {
    const s = lt.summary;
    const { B, F, R } = lt.added;
    rows.push([
      `latency @ ${lt.rate} req/s open loop: p50 (ms)`,
      n(s.U.p50, 2),
      n(s.R?.p50, 2),
      n(s.F?.p50, 2),
      n(s.B.p50, 2),
      `added B ${plus(B.p50)} R ${plus(R?.p50)} F ${plus(F?.p50)}`,
      'B added ≤ 1 ms',
      verdictOf('addedP50'),
    ]);
    rows.push([
      '  p99 (ms)',
      n(s.U.p99, 2),
      n(s.R?.p99, 2),
      n(s.F?.p99, 2),
      n(s.B.p99, 2),
      `B/R ${n(s.B.p99 / s.R?.p99, 2)}× B/F ${n(s.B.p99 / s.F?.p99, 2)}×; added B ${plus(B.p99)} R ${plus(R?.p99)}`,
      "≤ 2× R's p99",
      verdictOf('p99'),
    ]);
    rows.push([
      '  p99.9 / max (ms)',
      `${n(s.U.p99_9, 1)} / ${n(s.U.max, 0)}`,
      `${n(s.R?.p99_9, 1)} / ${n(s.R?.max, 0)}`,
      `${n(s.F?.p99_9, 1)} / ${n(s.F?.max, 0)}`,
      `${n(s.B.p99_9, 1)} / ${n(s.B.max, 0)}`,
      '',
      '',
      '',
    ]);
    rows.push([
      '  server CPU busy / other processes on its core (worst)',
      '',
      `${pct(s.R?.serverBusy)} / ${pct1(s.R?.neighbours)}`,
      `${pct(s.F?.serverBusy)} / ${pct1(s.F?.neighbours)}`,
      `${pct(s.B.serverBusy)} / ${pct1(s.B.neighbours)}`,
      '',
      '',
      '',
    ]);
  }
  if (r.creates) {
    const s = r.creates.summary;
    rows.push([
      `create (add + read back), ${r.creates.concurrency} conc (req/s)`,
      '',
      '',
      n(s.F.rate),
      n(s.B.rate),
      `B/F ${n(r.creates.ratioBF, 2)}`,
      '',
      '',
    ]);
    rows.push([
      '  p50 / p99 (ms)',
      '',
      '',
      `${n(s.F.p50, 1)} / ${n(s.F.p99, 1)}`,
      `${n(s.B.p50, 1)} / ${n(s.B.p99, 1)}`,
      '',
      '',
      '',
    ]);
  }
  if (r.coldLogins) {
    const s = r.coldLogins.summary;
    rows.push([
      `cold Basic logins, ${r.coldLogins.count} distinct, ${r.coldLogins.concurrency} conc (/s)`,
      '',
      '',
      n(s.F.rate),
      n(s.B.rate),
      `B/F ${n(r.coldLogins.ratioBF, 2)}`,
      '',
      '',
    ]);
    rows.push([
      '  p50 / p99 (ms); upstream calls per login',
      '',
      '',
      `${n(s.F.p50, 1)} / ${n(s.F.p99, 1)}; ${n(s.F.upstreamCallsPerLogin, 2)}`,
      `${n(s.B.p50, 1)} / ${n(s.B.p99, 1)}; ${n(s.B.upstreamCallsPerLogin, 2)}`,
      '',
      '',
      '',
    ]);
  }
  if (r.bigList) {
    const s = r.bigList.summary;
    rows.push([
      `10,000-group list, one at a time (ms, p50)`,
      '',
      '',
      n(s.F.timeMs, 1),
      n(s.B.timeMs, 1),
      `B/F ${n(r.bigList.timeRatioBF, 2)}`,
      'B ≤ 2× F',
      verdictOf('bigList'),
    ]);
    rows.push([
      `  ${r.bigList.concurrency} concurrent (req/s)`,
      '',
      '',
      n(s.F.rate, 1),
      n(s.B.rate, 1),
      `B/F ${n(s.B.rate / s.F.rate, 2)}`,
      '',
      '',
    ]);
  }
  if (r.allocations) {
    const { R, F0, B } = r.allocations.summary;
    // The U, R, F and B cells of one figure; F0 has no column of its own, so it shares F's, named.
    const cells = (figure) => ['', R ? figure(R) : '', F0 ? `F0 ${figure(F0)}` : '', figure(B)];
    const longest = (gc) => Math.max(gc.scavenge?.max ?? 0, gc['mark-compact']?.max ?? 0);
    rows.push([
      'heap allocated per request (KB; probed processes, open loop)',
      ...cells((s) => n(s.bytesPerRequest / 1000, 1)),
      `B/R ${n(B.bytesPerRequest / R?.bytesPerRequest, 1)}× B/F0 ${n(B.bytesPerRequest / F0?.bytesPerRequest, 1)}×`,
      LABEL.allocated,
      verdictOf('allocated'),
    ]);
    rows.push([
      '  GC pauses: scavenges/mark-compacts, longest (ms)',
      ...cells((s) => `${s.gc.scavenge?.count ?? 0}/${s.gc['mark-compact']?.count ?? 0}, ${n(longest(s.gc), 1)}`),
      '',
      '',
      '',
    ]);
    rows.push([
      '  event loop delay p99 / max (ms)',
      ...cells((s) => `${n(s.loopDelayMs.p99, 1)} / ${n(s.loopDelayMs.max, 1)}`),
      '',
      '',
      '',
    ]);
  }
  if (r.lastSoak) {
    const s = r.lastSoak;
    rows.push([
      `RSS growth, last soak (${s.seconds} s at half load, ${s.at.slice(0, 16)})`,
      '',
      '',
      '',
      `${plus(s.growth * 100, 1)}%, ${s.errors} errors`,
      s.seconds >= BAR.soakSeconds ? '' : 'not a 1 h soak',
      `${LABEL.soak}, 0 errors`,
      verdict(s.seconds >= BAR.soakSeconds && s.growth < BAR.soakRssGrowth && s.errors === 0),
    ]);
  } else if (r.mode === 'full')
    rows.push([
      'RSS, 1 h soak',
      '',
      '',
      '',
      'none run',
      `\`-- soak --soak-seconds ${BAR.soakSeconds}\``,
      LABEL.soak,
      '—',
    ]);
  if (r.memory) {
    const { idle, afterHotPath, after } = r.memory;
    rows.push([
      'RSS after hot-path load (MB, VmRSS)',
      '',
      n(afterHotPath.R?.rssMb, 1),
      n(afterHotPath.F.rssMb, 1),
      n(afterHotPath.B.rssMb, 1),
      `B/F ${n(afterHotPath.B.rssMb / afterHotPath.F.rssMb, 2)}`,
      LABEL.rss,
      verdictOf('rss'),
    ]);
    rows.push([
      'RSS after all load incl. 10k lists (MB)',
      '',
      n(after.R?.rssMb, 1),
      n(after.F.rssMb, 1),
      n(after.B.rssMb, 1),
      `B/F ${n(after.B.rssMb / after.F.rssMb, 2)}`,
      '',
      '',
    ]);
    rows.push([
      '  idle after start / peak (MB, VmHWM)',
      '',
      '',
      `${n(idle.F.rssMb, 1)} / ${n(after.F.peakMb, 1)}`,
      `${n(idle.B.rssMb, 1)} / ${n(after.B.peakMb, 1)}`,
      '',
      '',
      '',
    ]);
  }
  if (r.rssAfterHotPath) {
    const m = r.rssAfterHotPath;
    rows.push([
      'RSS after hot-path load (MB, VmRSS)',
      '',
      n(m.R?.rssMb, 1),
      n(m.F?.rssMb, 1),
      n(m.B.rssMb, 1),
      '',
      LABEL.rss,
      verdict(m.B.rssMb <= BAR.rssMb),
    ]);
  }
  if (r.dashboard) {
    const d = r.dashboard;
    const s = d.summary;
    rows.push([
      `dashboard: ${d.tabs} tabs of one user every ${d.periodMs} ms, DeepCall ${d.upstreamMs} ms`,
      '',
      '',
      n(s.F?.callsPer1000Reads),
      n(s.B?.callsPer1000Reads),
      'upstream calls per 1,000 reads',
      '',
      '',
    ]);
  }
  if (r.startup) {
    const s = r.startup.summary;
    rows.push([
      `start-up to ready (ms, median of ${r.startup.rounds})`,
      '',
      n(s.R?.readyMs),
      n(s.F.readyMs),
      n(s.B.readyMs),
      `B/F ${n(r.startup.ratioBF, 1)}`,
      '',
      '',
    ]);
  }
  if (r.soak) {
    const s = r.soak;
    rows.push([
      `soak: ${s.seconds} s at ${s.rate} req/s (B only)`,
      '',
      '',
      '',
      `p50 ${n(s.result.latencyMs.p50, 2)} p99 ${n(s.result.latencyMs.p99, 2)} ms`,
      '',
      '',
      '',
    ]);
    rows.push([
      '  server CPU busy / other processes on its core',
      '',
      '',
      '',
      `${pct(s.result.serverBusy)} / ${pct1(s.result.neighbours)}`,
      '',
      '',
      '',
    ]);
    rows.push(['  errors', '', '', '', String(s.result.errors), '', '0', verdict(s.pass.errors)]);
    rows.push([
      `  RSS warm (median, minute from ${s.rss.warmAtS} s) → end (median, last minute) (MB)`,
      '',
      '',
      '',
      `${n(s.rss.warmMb, 1)} → ${n(s.rss.endMb, 1)} (${plus(s.rss.growth * 100, 1)}%)`,
      '',
      LABEL.soak,
      verdict(s.pass.rssGrowth),
    ]);
  }
  if (r.tracing) {
    const signed = (value) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;
    const loss = (ratio) => signed((ratio - 1) * 100);
    const range = (pair, unit) => `(IQR ${pair.map(unit === '%' ? loss : signed).join(' to ')})`;
    for (const [variant, cost] of Object.entries(r.tracing.summary)) {
      const goal = BAR.tracing[variant];
      rows.push([
        `tracing: ${variant} (req/s, CPU µs/req; vs the inert Bs)`,
        '',
        '',
        '',
        `${n(cost.rps)}, ${n(cost.cpuUsPerRequest)}`,
        variant === 'untraced'
          ? 'the baseline'
          : `${loss(cost.rpsVsUntraced)} % ${range(cost.rpsVsUntracedIqr, '%')}; ${signed(cost.cpuUsVsUntraced)} µs ${range(cost.cpuUsVsUntracedIqr, 'µs')}`,
        goal ? LABEL.tracing(goal) : variant === 'untraced, again' ? "none: vs the first, the method's noise" : '',
        goal ? verdictOf(`tracing ${variant}`) : '',
      ]);
    }
    const neighbours = Math.max(...Object.values(r.tracing.summary).map((cost) => cost.neighbours));
    rows.push(['  other processes on the server core (worst round)', '', '', '', pct1(neighbours), '', '', '']);
  }
  if (r.instructions) {
    for (const [variant, count] of Object.entries(r.instructions.summary)) {
      const goal = BAR.tracing[variant];
      rows.push([
        `tracing, counted: ${variant} (main-thread instructions/req; vs the inert Bs)`,
        '',
        '',
        '',
        count.mainThreadPerRequest.toLocaleString('en'),
        variant === 'untraced'
          ? 'the baseline'
          : `${plus(count.moreThanUntraced * 100, 2)} %, ${plus(count.extraPerRequest, 0)} per request`,
        goal ? LABEL.instructions(goal) : variant === 'untraced, again' ? "none: vs the first, the method's noise" : '',
        goal ? verdictOf(`instructions ${variant}`) : '',
      ]);
    }
  }
  if (r.errors !== undefined)
    rows.push(['errors in all measured requests', '', '', '', String(r.errors), '', '0', verdictOf('errors')]);
  return format(rows);
}

/** What B's RSS after hot-path load is made of: the line printed under the table. */
export function memoryNote(r) {
  const m = r.memory?.afterHotPath.B ?? r.rssAfterHotPath?.B;
  if (!m) return undefined;
  const heap = m.heap
    ? `: V8 heap ${n(m.heap.totalMb, 1)} (young generation ${n(m.heap.newSpaceMb, 1)}, old generation in use ${n(m.heap.oldSpaceUsedMb, 1)}, all in use ${n(m.heap.usedMb, 1)}), external ${n(m.heap.externalMb, 1)}, the rest malloc and stacks`
    : '';
  return `B's RSS after hot-path load, ${n(m.rssMb, 1)} MB: anonymous ${n(m.anonMb, 1)}${heap}; file-backed ${n(m.fileMb, 1)} (the node binary and its shared libraries)`;
}

function format(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
  const line = (row) =>
    row.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The ratio bench/baseline.json guards: B/R when it says so (and R ran), else B/F. */
export function guardedRatio(hotPath, baseline) {
  return baseline?.guards === 'B/R' && Number.isFinite(hotPath.ratioBR) ? hotPath.ratioBR : hotPath.ratioBF;
}

/** Writes bench/results/<mode>-<timestamp>.json (gitignored) and returns its path. */
export function writeResults(mode, results) {
  const dir = join(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${mode}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}
