import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MASK, Redactor, redactorFor } from '../../src/secrets/redact.ts';
import { HOSTILE_SECRETS, leaks, secretForms } from '../helpers/secret-forms.ts';
import { cleanDeep } from '../../src/text/plain.ts';

describe('redaction: every form of every secret, before any truncation', () => {
  const r = new Redactor();
  for (const s of HOSTILE_SECRETS) r.add(s);

  for (const secret of HOSTILE_SECRETS) {
    for (const form of secretForms(secret)) {
      it(`${form.name} of ${JSON.stringify(secret)} is hidden, and the words around it stay`, () => {
        const text = `before [${form.text}] after`;
        const out = r.redact(text);
        assert.deepEqual(leaks(out, HOSTILE_SECRETS), [], out);
        assert.ok(out.includes(MASK), out);
        assert.match(out, /^before \[/);
        assert.match(out, /\] after$/);
      });
    }
  }

  it('mixed encodings in one string, and a secret twice in one text', () => {
    const s = HOSTILE_SECRETS[0];
    const half = Math.floor(s.length / 2);
    const mixed = encodeURIComponent(s.slice(0, half)) + JSON.stringify(s.slice(half)).slice(1, -1);
    const out = r.redact(`a ${mixed} b ${s} c`);
    assert.deepEqual(leaks(out, HOSTILE_SECRETS), [], out);
    assert.equal(out.split(MASK).length, 3, out);
  });

  it('leaves text without secrets exactly as it was', () => {
    for (const text of [
      'HTTP 503, expected 200',
      'redirect loop: https://app.example/login?next=%2F was already visited',
      '$.status is "maintenance", expected == "ok"',
      'eyJhbGciOiJIUzI1NiJ9 base64 of something else',
      '&amp; &lt;b&gt; \\" %41 + plus',
    ]) {
      assert.equal(r.redact(text), text);
    }
  });

  it('a piece of a secret that is public text (in the check files) is not hidden; the secret itself still is', () => {
    const p = new Redactor();
    p.add('https://hooks.chat.example/services/T000/B000/XXXXsecretXXXX');
    p.addPublic('url: https://app.example/ and https://hooks.chat.example/services/');
    assert.equal(p.redact('redirect to https://app.example/login'), 'redirect to https://app.example/login');
    const out = p.redact('posting to https://hooks.chat.example/services/T000/B000/XXXXsecretXXXX failed');
    assert.ok(!out.includes('T000/B000'), out);
    assert.ok(!out.includes('secret'), out);
  });

  it('secrets shorter than 4 characters are refused (they would hide ordinary words), and named', () => {
    const { redactor, tooShort } = redactorFor(
      { UPKEEP_SECRETS: JSON.stringify({ PIN: '12', TOKEN: 'long-enough-token', github_token: 'ghs_abcdefghijkl' }), CRM_KEY: 'crm-key-value' },
      ['CRM_KEY'],
    );
    assert.deepEqual(tooShort, ['PIN']);
    assert.equal(redactor.size, 3);
    assert.equal(redactor.redact('HTTP 12 crm-key-value long-enough-token ghs_abcdefghijkl'), `HTTP 12 ${MASK} ${MASK} ${MASK}`);
  });

  it('redactDeep hides secrets in every string of a JSON value, except under structural keys', () => {
    const p = new Redactor();
    p.add('hunter2-secret');
    const out = p.redactDeep({ id: 'hunter2-secret', list: ['x hunter2-secret', 3, true], nested: { message: 'aHVudGVyMi1zZWNyZXQ=' } }, (k) => k === 'id');
    assert.deepEqual(out, { id: 'hunter2-secret', list: [`x ${MASK}`, 3, true], nested: { message: MASK } });
  });

  it('redactDeep and cleanDeep hide a secret in an object met twice, keep it shared, and leave untouched parts as they were', () => {
    const p = new Redactor();
    p.add('hunter2-secret');
    // The site's view shares one check's view between the site and its instance.
    const check = { id: 'api@eu2', recent: [{ time: 't', outcome: 'up' }], last: { reason: 'saw hunter2-secret\u0000' } };
    const untouched = { bars: [{ day: '2026-12-01', state: 'up' }] };
    const view = { components: [{ checks: [check], untouched }], instances: [{ components: [{ checks: [check], untouched }] }] };
    const out = cleanDeep(p.redactDeep(view));
    const a = out.components[0].checks[0];
    const b = out.instances[0].components[0].checks[0];
    assert.equal(a.last.reason, `saw ${MASK}`);
    assert.equal(a, b, 'one object in both places, as in the input');
    assert.equal(a.recent, check.recent, 'a part without a secret is not copied');
    assert.equal(out.components[0].untouched, untouched);
    assert.equal(check.last.reason, 'saw hunter2-secret\u0000', 'the input is not changed');
    assert.equal(cleanDeep(untouched), untouched);
  });

  it('exposes() says whether anything would be hidden', () => {
    assert.equal(r.exposes('nothing here'), false);
    assert.equal(r.exposes(`title: ${encodeURIComponent(HOSTILE_SECRETS[1])}`), true);
  });
});
