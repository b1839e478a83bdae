/**
 * `upkeep websub`: after a deploy, tells the WebSub hub named in site.yml that every feed changed,
 * so subscribed feed readers fetch them within seconds instead of at their next poll. The ping is
 * the de facto publish request hubs accept (`hub.mode=publish`, one `hub.url` per request, form
 * encoded); the W3C recommendation leaves publishing to the hub, and the common ones take this.
 */
import { loadOrFail } from './config.ts';
import type { Io } from './io.ts';
import { feedPaths, publishedAddress } from '../config/address.ts';
import { sender } from '../notify/send.ts';
import { mapLimit } from '../probes/run.ts';

export type WebsubOptions = {
  checks: string;
  env: Record<string, string | undefined>;
  /** UPKEEP_SITE_URL: where the page is published, when site.yml does not say. */
  siteUrl?: string;
  dryRun: boolean;
};

/** Every feed's public address, as the build names them. */
export function feedUrls(site: { url?: string; base_path: string }, componentIds: readonly string[], fallbackUrl?: string): string[] {
  const { origin, basePath } = publishedAddress(site, fallbackUrl);
  if (!origin) return [];
  return feedPaths(componentIds).flatMap(({ path }) => ['rss', 'atom'].map((ext) => new URL(`${basePath}${path}.${ext}`, origin).href));
}

export async function websub(opts: WebsubOptions, io: Io): Promise<void> {
  const config = await loadOrFail(opts.checks, { env: opts.env, requireEnv: false }, io);
  const hub = config.site.websub_hub;
  if (!hub) {
    io.out('websub: site.yml names no hub (site.websub_hub): nothing to ping');
    return;
  }
  const urls = feedUrls(
    config.site,
    config.components.map((c) => c.id),
    opts.siteUrl,
  );
  if (urls.length === 0) {
    // The feeds would name localhost: pinging a public hub about them is pointless.
    io.err('warning: websub: site.url is not set in site.yml (nor UPKEEP_SITE_URL), so the feeds have no public address: nothing pinged');
    return;
  }
  if (opts.dryRun) {
    for (const url of urls) io.out(`websub: would ping ${hub} for ${url}`);
    return;
  }
  const send = sender();
  const failed: string[] = [];
  const deadline = Date.now() + 60_000;
  try {
    // A hub that cannot be reached is not tried again for every feed.
    let hubDown: string | undefined;
    const ping = async (url: string) => {
      if (hubDown) return void failed.push(`${url}: ${hubDown}`);
      const r = await send.send(
        {
          http: {
            url: hub,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': url }).toString(),
          },
        },
        { timeoutMs: 10_000, retries: 2, deadline },
      );
      if (!r.ok) failed.push(`${url}: ${r.why}`);
      if (!r.ok && r.down) hubDown = r.why;
    };
    // The first alone: a hub that is down is found out once, not by four pings at a time.
    const [first, ...rest] = urls;
    await ping(first);
    await mapLimit(rest, 4, ping);
  } finally {
    await send.close();
  }
  io.out(`websub: pinged ${hub} for ${urls.length - failed.length} of ${urls.length} feeds`);
  // A hub that is down delays feed readers to their next poll; it is not a failed deploy.
  for (const f of failed) {
    io.err(`warning: websub: the hub did not take ${f} (readers see the change at their next poll)`);
    if (opts.env.GITHUB_ACTIONS === 'true') io.out(`::warning::websub: the hub did not take ${f}`);
  }
}
