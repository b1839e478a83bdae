/**
 * Issue 17, subscribers in other languages: a subscriber whose entry says `"language": "cs"` gets
 * the vendor's Czech text (a person's incident title and message, a window's title and
 * description, component names) with Upkeep's Czech words; a text nobody translated comes as
 * written; a subscriber without a language gets the default's. Real mail: `upkeep notify` →
 * nodemailer → a local SMTP server → mailparser.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { translator } from '../../src/i18n/index.ts';
import { upkeep } from '../helpers/cli.ts';
import { smtpInbox } from '../helpers/receivers.ts';
import { tempDir } from '../helpers/temp.ts';

const NOW = '2026-11-23T12:00:00Z';

const SITE = `site:
  title: Test CRM Status
  vendor: Test CRM
  url: https://status.test.example
  time_zone: Europe/Prague
  languages: [cs]
components:
  - id: api
    name: REST API
    translations: { cs: { name: Rozhraní REST } }
  - id: web
    name: Web app
`;

const MAINTENANCE = `maintenance:
  - id: db-upgrade
    title: Database upgrade
    description: Sign-in may be slow.
    components: [api]
    start: 2026-11-28 22:00
    end: 2026-11-28 23:00
    translations:
      cs: { title: Upgrade databáze, description: Přihlášení může být pomalé. }
`;

const INCIDENT = `---
id: 2026-11-23-login
title: Slow sign-in for some customers
translations:
  cs: { title: Pomalé přihlašování u některých zákazníků }
components: [api, web]
impact: minor
updates:
  - at: 2026-11-23T11:40:00Z
    status: investigating
    message: Some customers cannot sign in.
    translations:
      cs: { message: Někteří zákazníci se nemohou přihlásit. }
  - at: 2026-11-23T11:50:00Z
    status: identified
    message: A bad certificate on one load balancer.
---
`;

describe("subscriber email in the subscriber's language, with the vendor's text in it", async () => {
  const inbox = await smtpInbox();
  after(() => inbox.close());
  const dir = await tempDir();
  await mkdir(join(dir, 'checks'), { recursive: true });
  await mkdir(join(dir, 'history/incidents'), { recursive: true });
  await writeFile(join(dir, 'checks/site.yml'), SITE);
  await writeFile(join(dir, 'checks/maintenance.yml'), MAINTENANCE);
  await writeFile(
    join(dir, 'checks/notify.yml'),
    'channels:\n  - id: subs\n    kind: subscriber-email\n    smtp: ${{ env.M }}\n    from: status@test.example\n    subscribers: ${{ env.L }}\n',
  );
  await writeFile(join(dir, 'history/incidents/2026-11-23-login.md'), INCIDENT);
  // Addresses without words of the text: the list is a secret, and pieces of a secret are masked wherever they appear.
  const subscribers = JSON.stringify([{ address: 'jana@firma.test', language: 'cs' }, { address: 'bob@corp.test' }]);
  const r = await upkeep(['notify', '--checks', join(dir, 'checks'), '--history', join(dir, 'history')], {
    M: inbox.url,
    L: subscribers,
    UPKEEP_NOW: NOW,
  });
  const cs = translator('cs');
  const to = (address: string) => inbox.mail.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0].address === address);
  const bySubject = (address: string, part: string) => to(address).find((m) => m.subject?.includes(part));

  it('delivers', () => {
    assert.equal(r.code, 0, r.stderr);
    assert.equal(to('jana@firma.test').length, 3, inbox.mail.map((m) => m.subject).join('\n'));
    assert.equal(to('bob@corp.test').length, 3);
  });

  it("Czech: the person's title and message, the component's Czech name, Czech words", () => {
    const opened = bySubject('jana@firma.test', 'Pomalé přihlašování')!;
    assert.ok(
      opened,
      to('jana@firma.test')
        .map((m) => m.subject)
        .join('\n'),
    );
    assert.equal(opened.headers.get('content-language'), 'cs');
    assert.match(opened.subject!, new RegExp(cs('notify.incidentNew', { title: 'Pomalé přihlašování u některých zákazníků' })));
    assert.match(opened.text!, /Někteří zákazníci se nemohou přihlásit\./);
    assert.match(opened.text!, new RegExp(cs('notify.affected', { components: 'Rozhraní REST, Web app' })), 'no Czech name for Web app: as written');
    assert.doesNotMatch(opened.text!, /Slow sign-in|cannot sign in|REST API/);
    assert.match(opened.html as string, /Někteří zákazníci/);
  });

  it('Czech: an update nobody translated comes as written, under the Czech title', () => {
    const update = bySubject('jana@firma.test', cs('incident.identified'))!;
    assert.ok(
      update,
      to('jana@firma.test')
        .map((m) => m.subject)
        .join('\n'),
    );
    assert.match(update.subject!, /Pomalé přihlašování u některých zákazníků/);
    assert.match(update.text!, /A bad certificate on one load balancer\./);
  });

  it("Czech: the window's Czech title and description", () => {
    const m = bySubject('jana@firma.test', 'Upgrade databáze')!;
    assert.ok(
      m,
      to('jana@firma.test')
        .map((x) => x.subject)
        .join('\n'),
    );
    assert.match(m.text!, /Přihlášení může být pomalé\./);
    assert.match(m.text!, /Rozhraní REST/);
    assert.doesNotMatch(m.text!, /Database upgrade|Sign-in may be slow/);
  });

  it('a subscriber without a language: the default text', () => {
    const subjects = to('bob@corp.test').map((m) => m.subject ?? '');
    assert.ok(subjects.some((s) => s.includes('Slow sign-in for some customers')));
    assert.ok(subjects.some((s) => s.includes('Database upgrade')));
    assert.ok(!subjects.some((s) => /Pomalé|Upgrade databáze/.test(s)));
    const opened = bySubject('bob@corp.test', 'Slow sign-in')!;
    assert.match(opened.text!, /REST API, Web app/);
    assert.equal(opened.headers.get('content-language'), 'en');
  });
});
