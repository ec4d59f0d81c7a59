// Self time from a V8 .cpuprofile, by function (name + file:line) and by module (npm package,
// node internals, the service's own dist/ folders). Usable alone:
//   node bench/profile-summary.mjs bench/results/profile/<file>.cpuprofile [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/**
 * `window` ({fromUs, toUs}, CLOCK_MONOTONIC µs like process.hrtime) keeps only the samples taken
 * while the measured load ran, leaving out start-up and warm-up.
 */
export function summariseProfile(path, top = 15, window = undefined) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  // A sample lasts until the next one: attribute timeDeltas[i + 1] to samples[i].
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    at += profile.timeDeltas[i];
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const functions = new Map();
  const modules = new Map();
  // Inclusive time per module: a sample counts for every module on its stack (once each).
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stackModules = new Map();
  const modulesOnStack = (id) => {
    if (id === undefined) return new Set();
    let set = stackModules.get(id);
    if (!set) {
      set = new Set(modulesOnStack(parentOf.get(id)));
      const { functionName, url } = byId.get(id).callFrame;
      if (url && !SPECIAL.has(functionName)) set.add(moduleOf(url));
      stackModules.set(id, set);
    }
    return set;
  };
  const inclusive = new Map();
  let busyUs = 0;
  let idleUs = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const name = functionName || '(anonymous)';
    if (name === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const fnKey = SPECIAL.has(name) ? name : `${name}  ${shortUrl(url)}:${lineNumber + 1}`;
    functions.set(fnKey, (functions.get(fnKey) ?? 0) + us);
    const mod = SPECIAL.has(name) ? name : moduleOf(url);
    modules.set(mod, (modules.get(mod) ?? 0) + us);
    for (const onStack of modulesOnStack(id))
      if (!onStack.startsWith('node:')) inclusive.set(onStack, (inclusive.get(onStack) ?? 0) + us);
  }
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => ({ key, ms: us / 1000, share: us / busyUs }));
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    functions: rank(functions),
    modules: rank(modules),
    inclusiveModules: rank(inclusive),
  };
}

export function shortUrl(url) {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

export function moduleOf(url) {
  if (!url) return '(native / V8 builtins)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const dist = url.indexOf('/dist/');
  if (dist >= 0)
    return `service ${url
      .slice(dist + 1)
      .split('/')
      .slice(0, 2)
      .join('/')}`;
  return url;
}

export function formatProfile(summary) {
  const lines = [
    `busy ${summary.busyMs.toFixed(0)} ms sampled (idle ${summary.idleMs.toFixed(0)} ms); shares are of busy time`,
  ];
  lines.push('', 'top functions by self time:');
  summary.functions.forEach((row, i) =>
    lines.push(
      `${String(i + 1).padStart(3)}. ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.ms.toFixed(0).padStart(6)} ms  ${row.key}`,
    ),
  );
  lines.push('', 'self time by module:');
  summary.modules.forEach((row) =>
    lines.push(`     ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.ms.toFixed(0).padStart(6)} ms  ${row.key}`),
  );
  lines.push('', 'inclusive time by package (anything on the stack, node internals it calls included; overlaps):');
  summary.inclusiveModules.forEach((row) =>
    lines.push(`     ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.ms.toFixed(0).padStart(6)} ms  ${row.key}`),
  );
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, top] = process.argv.slice(2);
  if (!path) {
    console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(formatProfile(summariseProfile(path, Number(top ?? 15))));
}
