/** Where the CLI writes; tests pass buffers, the binary passes the process streams. */
export type Io = { out: (line: string) => void; err: (line: string) => void };

/** A plain text table with left-aligned columns. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}
