/**
 * JSON as the site publishes it: the same data, with `<`, `>`, `&` and the two JavaScript line
 * separators written as \u escapes, so a file pasted raw into an HTML page or a script cannot
 * open a tag. Every parser reads the same strings back.
 */
export function publicJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const jsonResponse = (value: unknown, indent?: number) => new Response(publicJson(value, indent), { headers: { 'content-type': 'application/json' } });
