import { maxOf } from '../util/arrays.ts';

/** Where the CLI writes; tests pass buffers, the binary passes the process streams. */
export type Io = { out: (line: string) => void; err: (line: string) => void };

/** A plain text table with left-aligned columns. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) =>
    maxOf(
      rows.map((r) => [...(r[i] ?? '')].length),
      0,
    ),
  );
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Everything printed goes through the redactor first: the last fence before a log. */
export function redactingIo(io: Io, redactor: { redact(text: string): string }): Io {
  return { out: (line) => io.out(redactor.redact(line)), err: (line) => io.err(redactor.redact(line)) };
}

/**
 * On GitHub Actions, a problem in a file also becomes an annotation: shown on the run's summary and
 * beside the line in the file, even when the run itself succeeds.
 */
export function annotate(
  io: Io,
  env: Record<string, string | undefined>,
  level: 'error' | 'warning',
  e: { file: string; line: number; col: number; message: string },
): void {
  if (env.GITHUB_ACTIONS !== 'true') return;
  const data = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (text: string) => data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
  io.out(`::${level} file=${property(e.file)},line=${e.line},col=${e.col}::${data(e.message)}`);
}
