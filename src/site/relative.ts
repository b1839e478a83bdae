/**
 * "5 minutes ago" / "in 2 days" on the page, without Intl in the browser.
 *
 * Why by hand: the first localised number a Chromium tab formats loads ICU's data, 40–50 ms of
 * blocking work on load (measured: `Intl.RelativeTimeFormat` or `toLocaleString` first call), which
 * cost the home page its Lighthouse performance score. So the build asks Node's Intl for the
 * language's patterns once ("# minutes ago" per plural category), its digits and which category each
 * number up to 99 takes, and the page only fills them in. A unit test checks the result against
 * `Intl.RelativeTimeFormat` for every language and every value the page can show.
 */

/** The units shown, largest first (their lengths are in formatRelative: a month is 30 days, a year 365). */
export const UNITS = ['year', 'month', 'day', 'hour', 'minute'] as const;

export type RelativeData = {
  /** Per unit (as UNITS), [past, future], per plural category: the phrase with # for the number. */
  u: string[][][];
  /** The plural category (an index into the lists above) of each number 0–99. */
  p: string;
  /** The category of any other number. */
  o: number;
  /** The ten digits in the language's numbering system. */
  d: string;
  /** "now". */
  n: string;
};

export function relativeData(lang: string): RelativeData {
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'always' });
  const rules = new Intl.PluralRules(lang);
  const categories = rules.resolvedOptions().pluralCategories;
  const sample = (category: string) => Array.from({ length: 100 }, (_, n) => n).find((n) => rules.select(n) === category);
  const u = UNITS.map((unit) =>
    [-1, 1].map((sign) =>
      categories.map((category) => {
        const n = sample(category) ?? sample('other') ?? 2;
        return rtf
          .formatToParts(sign * n, unit)
          .map((p) => (p.type === 'integer' ? '#' : p.value))
          .join('');
      }),
    ),
  );
  return {
    u,
    p: Array.from({ length: 100 }, (_, n) => categories.indexOf(rules.select(n))).join(''),
    o: categories.indexOf('other'),
    d: Array.from({ length: 10 }, (_, i) => i.toLocaleString(lang, { useGrouping: false })).join(''),
    n: new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(0, 'second'),
  };
}

/**
 * The phrase for a time `ms` milliseconds from now (negative: in the past), whole units counted
 * towards zero. This function runs in the page as it is written here (Base.astro inlines its
 * source), so it keeps to JavaScript every browser runs (no types it would not strip).
 */
export function formatRelative(data: RelativeData, ms: number): string {
  const lengths = [31536e6, 2592e6, 864e5, 36e5, 6e4];
  for (let i = 0; i < lengths.length; i++) {
    const n = Math.trunc(Math.abs(ms) / lengths[i]);
    if (n >= 1) {
      const category = n < 100 ? Number(data.p[n]) : data.o;
      const digits = String(n).replace(/\d/g, (c) => data.d[Number(c)]);
      return data.u[i][ms < 0 ? 0 : 1][category].replace('#', digits);
    }
  }
  return data.n;
}

const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
const scripts = new Map<string, string>();

/**
 * The page's relative-time script for one language (`template` is its "({relative})"): the
 * language's phrases, formatRelative's own source, and the code that puts the words after each
 * <time>. Base.astro inlines it in the head; it is the same for every page of a language.
 */
export function relativeScript(lang: string, template: string): string {
  const key = `${lang}\n${template}`;
  let script = scripts.get(key);
  if (!script) {
    script = `var upkeepRel = (function () {
  var d = document, data = ${json(relativeData(lang))}, tpl = ${json(template)}, now;
  var formatRelative = ${formatRelative.toString()};
  function one(el) {
    var at = el.getAttribute('datetime');
    if (at.indexOf('T') < 0) return;
    var text = ' ' + tpl.replace('{relative}', formatRelative(data, Date.parse(at) - now));
    if (!el.upkeepRel) { el.upkeepRel = d.createElement('span'); el.upkeepRel.setAttribute('data-rel', ''); el.after(el.upkeepRel); }
    if (el.upkeepRel.textContent !== text) el.upkeepRel.textContent = text;
  }
  function all() {
    now = Date.now();
    d.querySelectorAll('time[datetime]').forEach(one);
  }
  // While the top of the page is parsed, each batch of new nodes is looked at before it is drawn.
  // A long page calls upkeepRel.settle() where the first screen ends: watching 2,700 strip days
  // cost more than the words are worth; times further down are done once the page is parsed.
  var parsing = new MutationObserver(all);
  parsing.observe(d.documentElement, { childList: true, subtree: true });
  all.settle = function () { parsing.disconnect(); all(); };
  d.addEventListener('DOMContentLoaded', function () {
    all.settle();
    setInterval(all, 60000);
  });
  return all;
})();`;
    scripts.set(key, script);
  }
  return script;
}
