/** A stretch of UTC time where a zone's offset is constant: the per-day SQL groups by local day within it. */
export interface OffsetSpan {
  /** UTC ms, inclusive. */
  from: number;
  /** UTC ms, exclusive. */
  to: number;
  /** Local time minus UTC, in minutes. */
  offsetMinutes: number;
}
