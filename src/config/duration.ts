import { DAY_MS } from '../status/vocabulary.ts';

const units = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS } as const;

export const durationPattern = '^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)$';

/** "30s", "5m", "1.5h", "250ms" → milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * units[m[2] as keyof typeof units]);
}

/** 2_700_000 → "45m", 5_400_000 → "1h 30m": short, for tables and messages; seconds truncated, as clocks do. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  let s = Math.floor(ms / 1_000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.slice(0, 2).join(' ');
}
