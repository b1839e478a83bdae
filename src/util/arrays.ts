/**
 * Appending and extremes without spreading: `a.push(...b)` and `Math.max(...b)` pass every element
 * as an argument, and past about 120,000 of them V8 throws "Maximum call stack size exceeded"
 * (a day of 1,000 checks is 288,000 samples). Loops have no such limit.
 */

export function pushAll<T>(target: T[], source: readonly T[]): T[] {
  for (const item of source) target.push(item);
  return target;
}

/** The largest value, or `empty` for none. */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let max = empty;
  let any = false;
  for (const v of values) {
    if (!any || v > max) max = v;
    any = true;
  }
  return any ? max : empty;
}

/** The smallest value, or `empty` for none. */
export function minOf(values: Iterable<number>, empty = Infinity): number {
  let min = empty;
  let any = false;
  for (const v of values) {
    if (!any || v < min) min = v;
    any = true;
  }
  return any ? min : empty;
}
