/**
 * Money helpers. Amounts are held as integer cents so that many charges and
 * refunds never drift the way binary floats would; they leave the simulator
 * as decimal strings ("0.50") in the canonical shape.
 */

/** Formats integer cents as a decimal string with two places, e.g. 50 → "0.50". */
export function formatCents(cents: number): string {
  const rounded = Math.round(cents);
  const sign = rounded < 0 ? '-' : '';
  const abs = Math.abs(rounded);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Parses a non-negative amount ("12", "12.5", "12.50" or the number 12.5)
 * into cents; null when it is not such an amount or has more than two decimals.
 */
export function parseAmount(value: unknown): number | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0 || value > 1e9) return null;
    const cents = Math.round(value * 100);
    // Reject 0.001-style inputs instead of silently rounding somebody's money.
    if (Math.abs(cents - value * 100) > 1e-6) return null;
    return cents;
  }
  if (typeof value !== 'string') return null;
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
