/**
 * The one place Octokit is made. It retries 5xx answers and waits out primary and secondary rate
 * limits (GitHub's own plugins), so a flaky API costs time, never an incident update.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';

export type GitHub = InstanceType<typeof Octokit> & { owner: string; repo: string };

const Upkeep = Octokit.plugin(retry, throttling);

export type GitHubOptions = {
  token: string;
  /** "owner/name", as GITHUB_REPOSITORY gives it. */
  repository: string;
  /** GITHUB_API_URL; tests point it at a local server. */
  baseUrl?: string;
  /** Scales every wait (1 = real seconds); tests pass a tiny value. */
  waitScale?: number;
  log?: (line: string) => void;
};

export function github(opts: GitHubOptions): GitHub {
  const [owner, repo] = opts.repository.split('/');
  const base = 1000 * (opts.waitScale ?? 1);
  const log = opts.log ?? (() => {});
  const octokit = new Upkeep({
    auth: opts.token,
    baseUrl: opts.baseUrl ?? 'https://api.github.com',
    userAgent: 'upkeep-status',
    retry: { retries: 3, retryAfterBaseValue: base },
    throttle: {
      // GitHub asks for a second between writes (three for those that notify); the plugin spaces them.
      // Tests scale the spacing with every other wait, through the plugin's own group options.
      ...(opts.waitScale !== undefined && opts.waitScale < 1
        ? {
            write: new Bottleneck.Group({ id: 'upkeep-write', maxConcurrent: 1, minTime: 1000 * opts.waitScale }),
            notifications: new Bottleneck.Group({ id: 'upkeep-notifications', maxConcurrent: 1, minTime: 3000 * opts.waitScale }),
          }
        : {}),
      retryAfterBaseValue: base,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: (after: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
        log(`GitHub rate limit on ${options.method} ${options.url}; retrying in ${after} s`);
        return retryCount < 2;
      },
      onSecondaryRateLimit: (after: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
        log(`GitHub secondary rate limit on ${options.method} ${options.url}; retrying in ${after} s`);
        return retryCount < 2;
      },
    },
    log: { debug: () => {}, info: () => {}, warn: (m: string) => log(m), error: (m: string) => log(m) },
  });
  return Object.assign(octokit, { owner, repo });
}
