/** The time source, so expiry rules can be tested without waiting. */
export class Clock {
  now(): number {
    return Date.now();
  }
}
