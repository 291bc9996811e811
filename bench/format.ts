// Printing: numbers, aligned tables, one-line error texts.

export function note(message: string): void {
  process.stdout.write(`${message}\n`);
}

export function fmt(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** Rows shorter than the header (a label and a note: skipped, failed) don't set column widths. */
export function table(headers: string[], rows: string[][]): string {
  const full = rows.filter((r) => r.length === headers.length);
  const widths = headers.map((h, i) => Math.max(h.length, ...(i === 0 ? rows : full).map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => (cells.length < headers.length
    ? `${cells[0].padEnd(widths[0])}  ${cells.slice(1).join('  ')}`
    : cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' | ').slice(0, 400);
}

export function verdictText(pass: boolean | undefined): string {
  return pass === undefined ? '' : pass ? 'PASS' : 'FAIL';
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export const MB = 1024 * 1024;
