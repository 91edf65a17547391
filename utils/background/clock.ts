/**
 * How far the local clock is from Text2FA's, learned from `Date` headers.
 * Order expiry comes from the server; when the user's clock is off, showing
 * server times as they are would make countdowns lie.
 */

/** `Date` headers have one-second resolution and the answer takes time to arrive: ignore smaller gaps. */
const NOISE_MS = 3_000;

export class ClockSkew {
  private skew = 0;

  /** Records one observation (server time, local time when the answer arrived). */
  observe(serverTimeMs: number, localTimeMs: number): void {
    const observed = localTimeMs - serverTimeMs;
    // Follow big changes at once (the user fixed their clock), smooth small jitter.
    this.skew = Math.abs(observed - this.skew) > 60_000 ? observed : Math.round(this.skew * 0.7 + observed * 0.3);
  }

  /** Add this to a server time to get local time; 0 when the clocks agree within the noise. */
  value(): number {
    return Math.abs(this.skew) < NOISE_MS ? 0 : this.skew;
  }
}
