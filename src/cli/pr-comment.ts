import { readFile } from 'node:fs/promises';
import { github } from '../github/client.ts';
import { commentBody, upsertComment } from '../github/pr-comment.ts';
import type { Redactor } from '../secrets/redact.ts';
import type { Sample } from '../status/sample.ts';
import { UsageError } from './errors.ts';
import type { Io } from './io.ts';

/** `upkeep pr-comment --file results.json`: the dry-run results as one comment on the pull request. */
export async function prComment(
  opts: { file: string; env: Record<string, string | undefined>; waitScale?: number; redactor?: Redactor },
  io: Io,
): Promise<void> {
  const { GITHUB_TOKEN: token, GITHUB_REPOSITORY: repository, GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: baseUrl } = opts.env;
  if (!token || !repository || !eventPath) {
    io.out('notice: no GITHUB_TOKEN, GITHUB_REPOSITORY or GITHUB_EVENT_PATH: not commenting (this runs inside a pull request workflow)');
    return;
  }
  const event = JSON.parse(await readFile(eventPath, 'utf8')) as { pull_request?: { number: number }; number?: number };
  const pull = event.pull_request?.number ?? event.number;
  if (!pull) throw new UsageError('the GitHub event is not a pull request');
  let results: { samples: Sample[]; skipped: string[]; validation?: string };
  try {
    const parsed = JSON.parse(await readFile(opts.file, 'utf8'));
    results = Array.isArray(parsed) ? { samples: parsed, skipped: [] } : parsed;
  } catch {
    // No results: validation stopped the job before the dry run. Say so where the author looks.
    results = {
      samples: [],
      skipped: [],
      validation: '❌ `upkeep validate` found problems, so nothing was probed. The job log lists each one as `file:line:col  path: message`.',
    };
  }
  const gh = github({ token, repository, baseUrl, waitScale: opts.waitScale, log: (l) => io.err(l) });
  const body = commentBody(results.samples, results.skipped ?? [], results.validation ?? '✅ `upkeep validate` found no problems.');
  io.out(await upsertComment(gh, pull, opts.redactor ? opts.redactor.redact(body) : body));
}
