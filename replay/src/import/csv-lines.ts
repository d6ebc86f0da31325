/** One line of a text file: its 1-based number and its text (CR stripped). */
export interface Line {
  readonly no: number;
  readonly text: string;
}

/**
 * The non-empty lines of a CSV text, with their line numbers: LF or CRLF endings, a last line with or without a
 * newline. Fields are plain (no quoting): the market data files we import never quote.
 */
export function* csvLines(text: string): Generator<Line> {
  let start = 0;
  let no = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    no++;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    start = end + 1;
    if (line.trim() !== '') yield { no, text: line };
  }
}

/** The value of a non-empty string of ASCII digits, or -1 for anything else (no sign, no space, no exponent, ≥ 2^53). */
export function digitsValue(text: string): number {
  const n = text.length;
  if (n === 0 || n > 16) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return Number.isSafeInteger(v) ? v : -1;
}

/**
 * Microseconds in a decimal number of seconds (`34200.01746` → 34200017460), exactly: no binary float. Up to 9
 * decimals (nanoseconds, rounded half up to µs); null for anything else.
 */
export function secondsToUs(text: string): number | null {
  const dot = text.indexOf('.');
  const whole = digitsValue(dot < 0 ? text : text.slice(0, dot));
  if (whole < 0) return null;
  if (dot < 0) return whole * 1_000_000;
  const fracText = text.slice(dot + 1);
  const frac = fracText.length <= 9 ? digitsValue(fracText) : -1;
  if (frac < 0) return null;
  const nanos = frac * 10 ** (9 - fracText.length);
  const us = whole * 1_000_000 + Math.round(nanos / 1000);
  return Number.isSafeInteger(us) ? us : null;
}
