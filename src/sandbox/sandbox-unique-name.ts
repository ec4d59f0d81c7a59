/**
 * Upstream does not reject a duplicate group name, it appends a number: "Sales" -> "Sales 1" ->
 * "Sales 2", the first free one. `isTaken` receives lower-cased names (uniqueness ignores case).
 */
export function pickFreeName(name: string, isTaken: (lowerName: string) => boolean): string {
  if (!isTaken(name.toLowerCase())) return name;
  for (let n = 1; ; n += 1) {
    const candidate = `${name} ${n}`;
    if (!isTaken(candidate.toLowerCase())) return candidate;
  }
}
