import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { supportedLanguages } from '../../src/config/schema.ts';
import { en } from '../../src/i18n/en.ts';
import { catalogs, isRtl, translator } from '../../src/i18n/index.ts';
import { formatRelative, relativeData } from '../../src/site/relative.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message files', () => {
  it('every language the config accepts has a catalog', () => {
    assert.deepEqual(Object.keys(catalogs).sort(), [...supportedLanguages].sort());
  });
  for (const [lang, messages] of Object.entries(catalogs)) {
    it(`${lang}: the same keys and placeholders as English, and translated`, () => {
      assert.deepEqual(Object.keys(messages).sort(), Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        assert.deepEqual(placeholders(messages[key as keyof typeof en]), placeholders(text), `${lang} ${key}`);
      }
      if (lang !== 'en') {
        const same = Object.entries(en).filter(
          ([k, v]) =>
            messages[k as keyof typeof en] === v &&
            !/^(component\.p\d\d|chart\.(point|p\d\d24h)|subscribe\.(rss|atom|json)|strip\.day|time\.relative|sep|list\.sep)$/.test(k),
        );
        assert.ok(same.length < 5, `${lang} leaves these in English: ${same.map(([k]) => k).join(', ')}`);
      }
    });
  }
  it('fills placeholders and knows right-to-left', () => {
    assert.equal(translator('cs')('uptime', { value: '99,9 %' }), 'dostupnost 99,9 %');
    assert.deepEqual(translator('ru').around('lastChecked', 'time'), ['Последняя проверка ', '']);
    assert.equal(isRtl('fa'), true);
    assert.equal(isRtl('pt-BR'), false);
  });
});

describe('relative times ("5 minutes ago") as the page writes them', () => {
  const units = [
    ['minute', 60_000, 59],
    ['hour', 3_600_000, 23],
    ['day', 86_400_000, 29],
    ['month', 30 * 86_400_000, 11],
    ['year', 365 * 86_400_000, 99],
  ] as const; // a status page shows nothing a century old
  for (const lang of Object.keys(catalogs)) {
    it(`${lang}: the same words as Intl.RelativeTimeFormat, past and future, for every value shown`, () => {
      const data = relativeData(lang);
      const intl = new Intl.RelativeTimeFormat(lang);
      let checked = 0;
      for (const [unit, length, most] of units) {
        for (let n = 1; n <= most; n++) {
          for (const sign of [-1, 1]) {
            // A little past the whole unit: whole units count towards zero.
            const ms = sign * (n * length + Math.min(length - 1, 59_000));
            assert.equal(formatRelative(data, ms), intl.format(sign * n, unit), `${lang} ${sign * n} ${unit}`);
            checked++;
          }
        }
      }
      assert.ok(checked > 400);
      const now = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(0, 'second');
      assert.equal(formatRelative(data, -59_999), now);
      assert.equal(formatRelative(data, 30_000), now);
    });
  }
  it('Persian digits, Russian and Czech plural forms', () => {
    assert.equal(formatRelative(relativeData('fa'), -25 * 60_000), '۲۵ دقیقه پیش');
    assert.equal(formatRelative(relativeData('ru'), -22 * 60_000), '22 минуты назад');
    assert.equal(formatRelative(relativeData('ru'), -25 * 60_000), '25 минут назад');
    assert.equal(formatRelative(relativeData('cs'), 2 * 3_600_000), 'za 2 hodiny');
  });
});
