/**
 * The last few thousand digests a RedisKeys computed, by their input. An HMAC is costly on the
 * hot path (Node builds a new keyed hash object for each), and the same session id is presented
 * on every request of its user. A pure function's memo: no expiry, nothing to invalidate; bounded
 * so a flood of distinct ids costs a fixed amount of memory (the oldest entry goes first).
 */
export class RecentDigests {
  private readonly byInput = new Map<string, string>();

  constructor(
    private readonly compute: (input: string) => string,
    private readonly capacity = 4096,
  ) {}

  of(input: string): string {
    const known = this.byInput.get(input);
    if (known !== undefined) return known;
    const digest = this.compute(input);
    if (this.byInput.size >= this.capacity) this.byInput.delete(this.byInput.keys().next().value!);
    this.byInput.set(input, digest);
    return digest;
  }
}
