/** The process's secrets, gathered once by the CLI: what every output is cleaned of. */
import { checkTexts } from '../config/load.ts';
import { references } from '../config/template.ts';
import { addSecretsFrom, Redactor } from '../secrets/redact.ts';

/**
 * Every entry of UPKEEP_SECRETS, GITHUB_TOKEN, and the environment values the check files name as
 * `${{ env.NAME }}` (read from the files' text, so a broken file still counts). The check files'
 * own text is public: pieces of a secret that also appear there are not hidden on their own.
 */
export async function secretsOf(
  checksDir: string,
  env: Record<string, string | undefined>,
  into = new Redactor(),
): Promise<{ redactor: Redactor; tooShort: string[] }> {
  const texts = await checkTexts(checksDir).catch(() => []);
  const names = new Set<string>();
  for (const text of texts) for (const ref of references(text)) if (ref.scope === 'env') names.add(ref.name);
  const tooShort = addSecretsFrom(into, env, names);
  for (const text of texts) into.addPublic(text);
  return { redactor: into, tooShort };
}
