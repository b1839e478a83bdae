import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { supportedLanguages } from '../../src/config/schema.ts';
import { en } from '../../src/i18n/en.ts';
import { catalogs, isRtl, translator } from '../../src/i18n/index.ts';

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
        const same = Object.entries(en).filter(([k, v]) => messages[k as keyof typeof en] === v && !/^(component\.p\d\d|subscribe\.(rss|atom|json)|strip\.day)$/.test(k));
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
