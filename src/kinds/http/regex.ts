/** Regular expressions a vendor wrote, run over bodies a target sent, with a time limit. */
import { Script, createContext } from 'node:vm';

/** How long one pattern may take: a pattern like `(a+)+Q` backtracks for minutes, and would stall every other check. */
export const REGEX_MS = 1_000;

const runner = new Script('pattern.exec(body)');

/**
 * `pattern`'s first match in `body` (null for none), or undefined when it takes longer than `ms`:
 * V8 interrupts a regular expression only for a script with a time limit, so the match runs as one
 * (about half a millisecond of overhead). Written by hand: safe-regex libraries refuse patterns; this runs them.
 */
export function execWithin(pattern: string, body: string, ms = REGEX_MS): string[] | null | undefined {
  try {
    const m = runner.runInContext(createContext({ pattern: new RegExp(pattern), body }), { timeout: ms }) as RegExpExecArray | null;
    // Copied out of the context: its arrays come from another realm.
    return m ? Array.from(m, (v) => v) : null;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return undefined;
    throw error;
  }
}
