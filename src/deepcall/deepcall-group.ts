/** A group as read from DeepCall, normalised from whichever spelling upstream used. */
export interface DeepcallGroup {
  id: number;
  name: string;
  /** Undefined when upstream left it out (for example a `quick` list). */
  active: boolean | undefined;
  /** ISO-8601, or null when upstream sent no usable date. */
  createdAt: string | null;
}
