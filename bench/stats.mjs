// Small numeric helpers shared by the scenarios and the report.

export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Percentiles (nearest rank) of a numeric array or typed array; sorts a copy. */
export function percentiles(values, ps = [50, 90, 99, 99.9]) {
  const sorted = Float64Array.from(values).sort();
  const out = { count: sorted.length, max: sorted.length ? sorted[sorted.length - 1] : NaN, mean: NaN };
  let sum = 0;
  for (const v of sorted) sum += v;
  out.mean = sorted.length ? sum / sorted.length : NaN;
  for (const p of ps) {
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    out[`p${String(p).replace('.', '_')}`] = sorted.length ? sorted[rank] : NaN;
  }
  return out;
}

export function round(value, digits = 2) {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
