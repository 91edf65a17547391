/**
 * Derives a verification code from SMS text when the control API did not
 * give one, the way a human reader would: the first run of 4 to 8 digits, and
 * a code split in two equal halves ("123-456", "123 456", "1234 5678") joined.
 */

const SPLIT = /(?<![\d-])(\d{3,4})[- ](\d{3,4})(?![\d-])/;
const RUN = /(?<!\d)\d{4,8}(?!\d)/;

/** The code in an SMS text, or null when it holds none. */
export function extractCode(text: string): string | null {
  const split = SPLIT.exec(text);
  const run = RUN.exec(text);
  const splitOk = split && split[1] !== undefined && split[2] !== undefined && split[1].length === split[2].length;
  // Whichever starts first wins, so "Code 123-456, ref 99887766" yields 123456.
  if (splitOk && split[1] !== undefined && split[2] !== undefined && (!run || split.index <= run.index)) {
    return split[1] + split[2];
  }
  return run ? run[0] : null;
}
