/** One comment per pull request with the dry-run results: updated in place, never repeated. */
import type { Sample } from '../status/sample.ts';
import { codeSpan } from '../text/markdown.ts';
import { describe } from './issues.ts';
import type { GitHub } from './client.ts';

const MARKER = '<!-- upkeep:checks -->';

export function commentBody(samples: readonly Sample[], skipped: readonly string[], validation: string): string {
  const icon = { up: '🟢 up', degraded: '🟡 degraded', down: '🔴 down' } as const;
  // Results are shown literally (a code span: no links, images or mentions), with table pipes escaped.
  const cell = (s: string) => codeSpan(s).replace(/\|/g, '\\|');
  const rows = samples.map(
    (s) =>
      `| ${cell(s.check)} | ${icon[s.outcome]} | ${s.latencyMs === undefined ? '—' : `${s.latencyMs} ms`} | ${s.attempts} | ${s.reason ? cell(`${s.reason}${s.message ? `: ${s.message}` : ''}`) : ''} |`,
  );
  return [
    MARKER,
    '### Upkeep: checks in this pull request',
    '',
    validation,
    '',
    samples.length === 0
      ? 'No check was added or changed.'
      : ['| check | result | latency | attempts | reason |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'),
    skipped.length ? `\nNot probed (they need secrets a pull request does not get): ${skipped.map((s) => codeSpan(s)).join(', ')}` : '',
    '',
    '<sub>A dry run from the pull request runner: nothing was written to history.</sub>',
  ].join('\n');
}

/** Creates or updates the comment; returns what happened, for the log. A read-only token is not an error. */
export async function upsertComment(gh: GitHub, pull: number, body: string): Promise<string> {
  try {
    const comments = await gh.paginate(gh.rest.issues.listComments, { owner: gh.owner, repo: gh.repo, issue_number: pull, per_page: 100 });
    const mine = comments.find((c) => c.body?.startsWith(MARKER));
    if (mine) {
      await gh.rest.issues.updateComment({ owner: gh.owner, repo: gh.repo, comment_id: mine.id, body });
      return `updated comment ${mine.id} on #${pull}`;
    }
    const { data } = await gh.rest.issues.createComment({ owner: gh.owner, repo: gh.repo, issue_number: pull, body });
    return `commented on #${pull} (${data.id})`;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 403 || status === 404)
      return `notice: not commenting on #${pull}: the token cannot write here (a pull request from a fork gets a read-only token). ${describe(error)}`;
    throw error;
  }
}
