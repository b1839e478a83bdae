/**
 * Every form a secret can be echoed in, made the way targets and libraries make them (the
 * redactor decodes; this encodes, so the two are written independently). Tests grep outputs for these.
 */
export const HOSTILE_SECRETS = [
  `s3cr"et\\Pa ss%41&amp;+plus/é漢`,
  `it's a 'quoted' "secret" value`,
  'tab\there & <angle> brackets %zz',
  'ünïcødé-ÄÖÜ-ß-€-😀-token-9000',
  'ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123',
  'ñandú-café-über-tenant-42',
];

const hex = (c: string) => c.codePointAt(0)!.toString(16);

/** The secret as a host name label, as a URL parser writes it (punycode), or '' when it cannot be one. */
function punycode(secret: string): string {
  try {
    if (!/^[\p{L}\p{N}-]+$/u.test(secret)) return '';
    const host = new URL(`http://${secret}.example/`).hostname;
    return host.includes('xn--') ? host.split('.')[0] : '';
  } catch {
    return '';
  }
}

export function secretForms(secret: string): { name: string; text: string }[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const uri = encodeURIComponent(secret);
  const forms: { name: string; text: string }[] = [
    { name: 'raw', text: secret },
    { name: 'JSON', text: json },
    { name: 'JSON, ASCII only', text: json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) },
    { name: 'JSON twice', text: JSON.stringify(JSON.stringify(secret)).slice(1, -1) },
    { name: 'encodeURIComponent', text: uri },
    { name: 'percent, lower-case hex', text: uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()) },
    { name: 'form encoding', text: new URLSearchParams({ x: secret }).toString().slice(2) },
    { name: 'URL path', text: new URL(`http://h.example/${secret}`).pathname.slice(1) },
    { name: 'URL query', text: new URL(`http://h.example/?${secret}`).search.slice(1) },
    { name: 'JSON inside a URL', text: encodeURIComponent(JSON.stringify(secret)) },
    { name: 'base64', text: Buffer.from(secret).toString('base64') },
    { name: 'base64url', text: Buffer.from(secret).toString('base64url') },
    { name: 'base64 of user:secret', text: Buffer.from(`user:${secret}`).toString('base64') },
    { name: 'base64 of xy:secret', text: Buffer.from(`xy:${secret}`).toString('base64url') },
    { name: 'HTML escaped', text: secret.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!) },
    { name: 'HTML decimal', text: [...secret].map((c) => (/[A-Za-z0-9]/.test(c) ? c : `&#${c.codePointAt(0)};`)).join('') },
    { name: 'HTML hex', text: [...secret].map((c) => (/[A-Za-z0-9]/.test(c) ? c : `&#x${hex(c).toUpperCase()};`)).join('') },
    { name: 'upper-case', text: secret.toUpperCase() },
    { name: 'a lower-cased cut-off piece (a host name, cut)', text: secret.toUpperCase().toLowerCase().slice(0, 12) },
    { name: 'HTML decimal without semicolons', text: [...secret].map((c) => `&#${c.codePointAt(0)}`).join('') },
    { name: 'HTML decimal, zero-padded', text: [...secret].map((c) => `&#${String(c.codePointAt(0)).padStart(12, '0')};`).join('') },
    { name: 'HTML hex, lower-case x and digits', text: [...secret].map((c) => `&#x${hex(c).toLowerCase()};`).join('') },
    { name: 'base64 of the lower-cased secret', text: Buffer.from(secret.toLowerCase()).toString('base64') },
    { name: 'base64 of base64', text: Buffer.from(Buffer.from(secret).toString('base64')).toString('base64') },
    { name: 'a punycode host name', text: punycode(secret) },
    { name: 'first 8 characters', text: secret.slice(0, 8) },
    { name: 'last 8 characters', text: secret.slice(-8) },
    { name: 'a middle piece', text: secret.slice(3, 13) },
  ];
  const seen = new Set<string>();
  return forms.filter((f) => f.text.length >= 4 && !seen.has(f.text) && seen.add(f.text));
}

/** The forms of any of `secrets` that occur in `text`. */
export function leaks(text: string, secrets: readonly string[]): string[] {
  return secrets.flatMap((s) =>
    secretForms(s)
      .filter((f) => text.includes(f.text))
      .map((f) => `${f.name} of ${JSON.stringify(s)}: ${JSON.stringify(f.text)}`),
  );
}
