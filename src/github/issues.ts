/**
 * Incident issues: a GitHub issue mirrors each automatic incident (labels `incident` and the
 * component), gets a comment per update and is closed on resolve. Comments by the repository's
 * collaborators that start with a status word become incident updates. The markdown files stay
 * the record; nothing here deletes anything, and no failure here stops a probe run.
 */
import type { IncidentUpdate } from '../config/schema.ts';
import type { Incident } from '../history/incidents.ts';
import { byTime, incidentStatus, type Action } from '../status/incidents.ts';
import { DAY_MS } from '../status/vocabulary.ts';
import type { GitHub } from './client.ts';

const TRUSTED = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);
const PUBLISH = /^\s*publish\b/i;
const STATUS_WORD = /^\s*(investigating|identified|monitoring|resolved)\s*:\s*([\s\S]+)$/i;

export type SyncReport = {
  /** Issues opened, by incident: the caller writes each number into its incident file. */
  created: { id: string; number: number }[];
  commented: number;
  closed: number;
  imported: number;
  /** Collaborators' updates to add to the incident files (the caller writes them). */
  updates: { id: string; update: IncidentUpdate }[];
  /** Drafts a collaborator published (a `publish` comment or label): the caller clears `draft`. */
  published: { id: string; at: string; by: string }[];
  errors: string[];
};

const issueBody = (i: Pick<Incident, 'title' | 'components' | 'impact' | 'draft'>, update: IncidentUpdate, pageUrl?: string) =>
  [
    `**${update.status}** — ${update.message}`,
    '',
    ...(i.draft
      ? [
          '**Draft**: the team has been told; the status page and its subscribers have not. Comment `publish` (or add the label `publish`) to put it on the page.',
          '',
        ]
      : []),
    `Components: ${i.components.join(', ')} · impact: ${i.impact}${pageUrl ? ` · [status page](${pageUrl})` : ''}`,
    '',
    'Collaborators can add updates with a comment that starts with a status word, e.g. `identified: the queue worker is stuck`.',
    '<!-- upkeep:incident -->',
  ].join('\n');

export type SyncOptions = {
  /** Everything sent to GitHub and taken from it passes through it: a public issue is a page too. */
  redact: (text: string) => string;
};

/** Mirrors incident actions to issues. `incidents` are the files after the actions were applied. */
export async function mirrorActions(
  gh: GitHub,
  actions: readonly Action[],
  incidents: readonly Incident[],
  opts: SyncOptions & { pageUrl?: (id: string) => string },
): Promise<SyncReport> {
  const report: SyncReport = { created: [], commented: 0, closed: 0, imported: 0, updates: [], published: [], errors: [] };
  for (const a of actions) {
    const incident = incidents.find((i) => i.id === a.id);
    if (!incident) continue;
    try {
      let number = incident.github_issue;
      if (a.type === 'open' || number === undefined) {
        const { data } = await gh.rest.issues.create({
          owner: gh.owner,
          repo: gh.repo,
          title: opts.redact(incident.title),
          body: opts.redact(issueBody(incident, a.update, opts.pageUrl?.(incident.id))),
          labels: ['incident', ...(incident.draft ? ['draft'] : []), ...incident.components],
        });
        number = data.number;
        report.created.push({ id: incident.id, number });
        if (a.type === 'open') continue;
      }
      await gh.rest.issues.createComment({
        owner: gh.owner,
        repo: gh.repo,
        issue_number: number,
        body: opts.redact(`**${a.update.status}** — ${a.update.message}`),
      });
      report.commented++;
      const state = a.type === 'resolve' ? 'closed' : a.type === 'reopen' ? 'open' : undefined;
      if (state) {
        await gh.rest.issues.update({ owner: gh.owner, repo: gh.repo, issue_number: number, state });
        if (state === 'closed') report.closed++;
      }
    } catch (error) {
      report.errors.push(`${a.type} ${a.id}: ${describe(error)}`);
    }
  }
  return report;
}

/**
 * Reads comments on the issues of open incidents; a collaborator's comment that starts with
 * `investigating:`, `identified:`, `monitoring:` or `resolved:` becomes an update (once: an update
 * with the same time and author is not added again). Anyone else's comments are ignored.
 */
export async function importComments(gh: GitHub, incidents: readonly Incident[], opts: SyncOptions & { now: number }): Promise<SyncReport> {
  const report: SyncReport = { created: [], commented: 0, closed: 0, imported: 0, updates: [], published: [], errors: [] };
  for (const incident of incidents) {
    if (incident.github_issue === undefined) continue;
    if (incidentStatus(incident) === 'resolved' && opts.now - Date.parse(byTime(incident.updates).at(-1)!.at) > 7 * DAY_MS) continue;
    try {
      const comments = await gh.paginate(gh.rest.issues.listComments, { owner: gh.owner, repo: gh.repo, issue_number: incident.github_issue, per_page: 100 });
      const known = new Set(incident.updates.map((u) => `${Date.parse(u.at)} ${u.by ?? ''}`));
      if (incident.draft) {
        const { data: issue } = await gh.rest.issues.get({ owner: gh.owner, repo: gh.repo, issue_number: incident.github_issue });
        // Only people who can write to the repository can label an issue.
        if (issue.labels.some((l) => (typeof l === 'string' ? l : l.name) === 'publish'))
          report.published.push({ id: incident.id, at: new Date(opts.now).toISOString().replace(/\.\d+Z$/, 'Z'), by: 'label' });
      }
      for (const c of comments) {
        const login = c.user?.login ?? '';
        if (!TRUSTED.has(c.author_association) || login.endsWith('[bot]')) continue;
        if (incident.draft && PUBLISH.test(c.body ?? '') && !report.published.some((p) => p.id === incident.id)) {
          report.published.push({ id: incident.id, at: new Date(c.created_at).toISOString().replace('.000Z', 'Z'), by: login });
          continue;
        }
        const m = STATUS_WORD.exec(c.body ?? '');
        if (!m) continue;
        const at = new Date(c.created_at).toISOString().replace('.000Z', 'Z');
        if (known.has(`${Date.parse(at)} ${login}`)) continue;
        report.updates.push({
          id: incident.id,
          update: { at, status: m[1].toLowerCase() as IncidentUpdate['status'], by: login, message: opts.redact(m[2].trim()) },
        });
        known.add(`${Date.parse(at)} ${login}`);
        report.imported++;
      }
    } catch (error) {
      report.errors.push(`comments of ${incident.id} (#${incident.github_issue}): ${describe(error)}`);
    }
  }
  return report;
}

export function describe(error: unknown): string {
  const e = error as { status?: number; message?: string };
  return e.status ? `GitHub answered ${e.status}: ${(e.message ?? '').split('\n')[0]}` : String(e.message ?? error);
}
