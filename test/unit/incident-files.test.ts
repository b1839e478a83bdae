import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { upkeep } from '../helpers/cli.ts';
import { SITE_YML, writeTree } from '../helpers/temp.ts';

const CHECK = 'checks:\n  - id: api\n    name: API\n    component: api\n    kind: http\n    url: http://127.0.0.1:9/\n';

describe('upkeep validate reads incident files too', () => {
  it('reports broken incident files with file:line:col and the fix', async () => {
    const checks = await writeTree({ 'site.yml': SITE_YML, 'a.yml': CHECK });
    const history = await writeTree({
      'incidents/2026-11-20-api.md':
        '---\nid: 2026-11-20-api\ntitle: API down\ncomponents: [apy]\nimpact: severe\nupdates:\n  - at: 2026-11-20 10:00\n    status: investigating\n    message: Looking.\n---\n',
      'incidents/wrong-name.md':
        '---\nid: something-else\ntitle: X\ncomponents: [api]\nimpact: minor\nupdates:\n  - at: 2026-11-20T10:00:00Z\n    status: resolved\n    message: Done.\n---\n',
      'incidents/no-front-matter.md': 'Just text.\n',
    });
    const r = await upkeep(['validate', '--checks', checks, '--history', history]);
    assert.equal(r.code, 1);
    const lines = r.stderr
      .replaceAll(history, 'history')
      .split('\n')
      .filter((l) => !l.startsWith('warning:'));
    assert.deepEqual(lines.slice(0, 6), [
      'history/incidents/2026-11-20-api.md:4:14  components[0]: unknown component "apy" (did you mean "api"?)',
      'history/incidents/2026-11-20-api.md:5:9  impact: expected one of "none", "minor", "major", "critical", got "severe"',
      'history/incidents/2026-11-20-api.md:7:9  updates[0].at: expected a time with its offset, such as "2026-11-23T13:05:00Z" or "2026-11-23T14:05:00+01:00", got "2026-11-20 10:00"',
      'history/incidents/no-front-matter.md:1:1  an incident file starts with a front matter block between "---" lines',
      'history/incidents/wrong-name.md:2:1  id: the id "something-else" must match the file name (wrong-name.md)',
      'upkeep: 5 errors in incident files',
    ]);
  });

  it('accepts a good one, and counts it', async () => {
    const checks = await writeTree({ 'site.yml': SITE_YML, 'a.yml': CHECK });
    const history = await writeTree({
      'incidents/2026-11-20-api.md':
        '---\nid: 2026-11-20-api\ntitle: API down\ncomponents: [api]\nimpact: major\nupdates:\n  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    message: Looking.\n---\nWrite-up.\n',
    });
    const r = await upkeep(['validate', '--checks', checks, '--history', history]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 incidents$/);
  });
});
