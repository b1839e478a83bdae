import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pack, unpack } from '../../src/site/pack.ts';

describe('pack: the view as JSON with shared objects written once', () => {
  it('restores one object wherever the view shared it, and is shorter than plain JSON', () => {
    const check = { id: 'api@eu2', recent: Array.from({ length: 50 }, (_, i) => ({ time: `t${i}`, latencyMs: i, outcome: 'up' })) };
    const component = { id: 'api', checks: [check], hist: { 12: 3, 7: 1 } };
    const view = {
      groups: [{ id: 'core', components: [component] }],
      components: [component],
      instances: [{ id: 'eu2', components: [{ id: 'api', checks: [check] }] }],
    };
    const text = pack(view);
    const back = unpack<typeof view>(text);
    assert.deepEqual(back, view);
    assert.equal(back.groups[0].components[0], back.components[0], 'the group holds the very component');
    assert.equal(back.instances[0].components[0].checks[0], back.components[0].checks[0], 'the instance holds the very check view');
    assert.ok(text.length < JSON.stringify(view).length / 2, `${text.length} vs ${JSON.stringify(view).length}`);
    assert.ok(!/"\$id"|"\$ref"/.test(JSON.stringify(back)), 'no marker is left in the restored view');
  });

  it('writes a view without sharing as plain JSON', () => {
    const view = { a: [1, 'two', null, { b: true }], c: { d: 'e' } };
    assert.equal(pack(view), JSON.stringify(view));
  });

  it('refuses a key that would read as a marker', () => {
    assert.throws(() => pack({ $ref: 1 }), /\$ref/);
  });
});
