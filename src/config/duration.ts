import { DAY_MS } from '../status/vocabulary.ts';

const units = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS } as const;

export const durationPattern = '^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)$';

/** "30s", "5m", "1.5h", "250ms" → milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * units[m[2] as keyof typeof units]);
}

/**
 * 2_700_000 → "45m", 5_400_000 → "1h 30m": the most significant unit and the one after it, so
 * 1 h 0 min 1 s is "1h", never "1h 1s"; seconds truncated, as clocks do. Short, for messages.
 */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const units = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const;
  const s = Math.floor(ms / 1_000);
  const first = units.findIndex(([, size]) => s >= size);
  const [unit, size] = units[first];
  const parts = [`${Math.floor(s / size)}${unit}`];
  const next = units[first + 1];
  if (next) {
    const rest = Math.floor((s % size) / next[1]);
    if (rest > 0) parts.push(`${rest}${next[0]}`);
  }
  return parts.join(' ');
}
