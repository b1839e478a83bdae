/**
 * A scripted journey in Chromium (Playwright): goto, fill, click, press, wait_for, expect_*.
 * One isolated context per check in a browser the run shares. On failure: a small JPEG and the
 * step log, with every field filled from a secret blanked first, and no screenshot at all if a
 * secret is visible anywhere on the page.
 */
import { performance } from 'node:perf_hooks';
import type { BrowserContext, Page } from 'playwright';
import type { BrowserMeasurement, StepLog } from '../../status/measurement.ts';
import type { BrowserCheck, BrowserStep } from './schema.ts';
import { formatDuration } from '../../config/duration.ts';
import { reasonOf } from '../../probes/errors.ts';
import { refuseHost, type TargetGuard } from '../../probes/guard.ts';
import type { Probe, ProbeContext } from '../../probes/types.ts';

type ProbeResult = Omit<BrowserMeasurement, 'kind'>;

const MAX_SCREENSHOT = 120 * 1024;

type Action = 'goto' | 'fill' | 'click' | 'press' | 'wait_for' | 'expect_text' | 'expect_url' | 'expect_title';

export const actionOf = (step: BrowserStep): Action => Object.keys(step).find((k) => k !== 'timeout') as Action;

/** What a step does, for logs: never a filled value. */
function describeStep(step: BrowserStep): string {
  const a = actionOf(step);
  const v = (step as Record<string, unknown>)[a];
  if (a === 'fill') return `fill ${(v as { selector: string }).selector}`;
  if (typeof v === 'string') return `${a} ${JSON.stringify(v)}`;
  const o = v as Record<string, string>;
  return `${a} ${JSON.stringify(o.text ?? o.url ?? o.key ?? o.selector)}${o.selector && (o.text || o.key) ? ` in ${o.selector}` : ''}`;
}

/** "**" and "*" glob for URLs, as Playwright's `waitForURL` reads them. */
function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*/g, '\u0000')
    .replace(/\*/g, '[^/]*')
    .replace(/\u0000/g, '.*');
  return new RegExp(`^${escaped}$`);
}

const urlMatches = (url: string, pattern: string) => (pattern.includes('*') ? globToRegExp(pattern).test(url) : url === pattern || url.startsWith(pattern));

async function perform(page: Page, step: BrowserStep, timeout: number): Promise<void> {
  const a = actionOf(step);
  const v = (step as Record<string, unknown>)[a] as never;
  switch (a) {
    case 'goto': {
      const r = await page.goto(v, { timeout, waitUntil: 'load' });
      if (r && r.status() >= 400) throw new StepFailure(`answered HTTP ${r.status()}`, `answered HTTP ${r.status()}`);
      return;
    }
    case 'fill': {
      const f = v as { selector: string; value: string };
      await page.locator(f.selector).first().fill(f.value, { timeout });
      return;
    }
    case 'click':
      await page.locator(v).first().click({ timeout });
      return;
    case 'press': {
      const p = v as string | { selector?: string; key: string };
      if (typeof p === 'string') await page.keyboard.press(p);
      else if (p.selector) await page.locator(p.selector).first().press(p.key, { timeout });
      else await page.keyboard.press(p.key);
      return;
    }
    case 'wait_for': {
      const w = v as string | { selector?: string; url?: string };
      const sel = typeof w === 'string' ? w : w.selector;
      if (sel) await page.locator(sel).first().waitFor({ state: 'visible', timeout });
      else await page.waitForURL((u) => urlMatches(u.href, (w as { url: string }).url), { timeout });
      return;
    }
    case 'expect_text': {
      const e = v as string | { selector?: string; text: string };
      const text = typeof e === 'string' ? e : e.text;
      const scope = typeof e === 'string' || !e.selector ? page.locator('body') : page.locator(e.selector).first();
      const deadline = Date.now() + timeout;
      // Short reads in a loop: a page that navigates or renders late is read again, not waited on whole.
      for (;;) {
        const seen = await scope.innerText({ timeout: Math.max(1, Math.min(250, deadline - Date.now())) }).catch(() => '');
        if (seen.includes(text)) return;
        if (Date.now() >= deadline) throw new StepFailure(`not found within ${formatDuration(timeout)}`, `not found within ${formatDuration(timeout)}`);
        await page.waitForTimeout(50);
      }
    }
    case 'expect_url': {
      const deadline = Date.now() + timeout;
      while (!urlMatches(page.url(), v)) {
        if (Date.now() >= deadline) throw new StepFailure(`the page is at ${page.url()}`, `the page is at another address within ${formatDuration(timeout)}`);
        await page.waitForTimeout(50);
      }
      return;
    }
    case 'expect_title': {
      const deadline = Date.now() + timeout;
      for (;;) {
        const title = await page.title().catch(() => '');
        if (title.includes(v)) return;
        if (Date.now() >= deadline)
          throw new StepFailure(`the title is ${JSON.stringify(title)}`, `the title does not contain it within ${formatDuration(timeout)}`);
        await page.waitForTimeout(50);
      }
    }
  }
}

/** A step that did not hold: `message` may quote the page; `publicMessage` does not. */
class StepFailure extends Error {
  publicMessage: string;
  constructor(message: string, publicMessage: string) {
    super(message);
    this.publicMessage = publicMessage;
  }
}

/** Why a step failed, and the same without what the page showed. */
function failureText(error: unknown, timeout: number): { text: string; public: string } {
  if (error instanceof StepFailure) return { text: error.message, public: error.publicMessage };
  const e = error as { name?: string; message?: string };
  const same = (text: string) => ({ text, public: text });
  if (e.name === 'TimeoutError' || /Timeout \d+ms exceeded/.test(e.message ?? '')) return same(`not done within ${formatDuration(timeout)}`);
  if (/net::ERR_/.test(e.message ?? '')) return same(/net::ERR_[A-Z_]+/.exec(e.message ?? '')![0]);
  return { text: reasonOf(error).message.split(/\s+Call log:/)[0], public: 'failed' };
}

export const browser: Probe<BrowserCheck, BrowserMeasurement> = async (check, ctx) => ({ kind: 'browser', ...(await measure(check, ctx)) });

async function measure(check: BrowserCheck, ctx: ProbeContext): Promise<ProbeResult> {
  if (!ctx.browser) return { latencyMs: 0, error: { reason: 'browser_unavailable', message: 'no browser for browser checks in this run' } };
  const started = performance.now();
  const deadline = started + ctx.timeoutMs;
  const steps: StepLog[] = [];
  let context: BrowserContext | undefined;
  try {
    const b = await ctx.browser();
    context = await b.newContext({ viewport: check.viewport, ignoreHTTPSErrors: false, serviceWorkers: 'block' });
    if (ctx.guard) await guardRequests(context, ctx.guard);
    const page = await context.newPage();
    for (const [i, step] of check.steps.entries()) {
      const n = i + 1;
      const left = deadline - performance.now();
      const timeout = Math.max(1, Math.min(step.timeout ?? check.step_timeout, left));
      const t0 = performance.now();
      try {
        if (left <= 0) {
          const text = `the check's ${formatDuration(ctx.timeoutMs)} budget ran out before this step`;
          throw new StepFailure(text, text);
        }
        await perform(page, step, timeout);
        steps.push({ step: n, action: describeStep(step), ms: Math.round(performance.now() - t0), ok: true });
      } catch (error) {
        const why = failureText(error, timeout);
        steps.push({ step: n, action: describeStep(step), ms: Math.round(performance.now() - t0), ok: false, error: why.text });
        const shot = await screenshot(page, check.steps, ctx.secretSteps ?? new Set(), ctx.secrets, ctx.beforeScreenshot);
        return {
          latencyMs: Math.round(performance.now() - started),
          error: {
            reason: `browser_${actionOf(step)}`,
            message: `step ${n} ${describeStep(step)}: ${why.text}`,
            public: `step ${n} ${describeStep(step)}: ${why.public}`,
          },
          browser: { steps, ...shot },
        };
      }
    }
    return { latencyMs: Math.round(performance.now() - started), browser: { steps } };
  } catch (error) {
    return {
      latencyMs: Math.round(performance.now() - started),
      error: { reason: 'browser_error', message: String((error as Error).message ?? error), public: 'the browser failed' },
      browser: { steps },
    };
  } finally {
    await context?.close().catch(() => {});
  }
}

/**
 * Every request and WebSocket of the journey asks the guard first (a pull request's dry run):
 * internal addresses are aborted. (WebRTC is kept off the network by a browser flag: see run.ts.)
 */
async function guardRequests(context: BrowserContext, guard: TargetGuard): Promise<void> {
  const refused = async (address: string) => {
    const url = new URL(address);
    return /^(https?|wss?|ftp):$/.test(url.protocol) ? refuseHost(guard, url.hostname.replace(/^\[|\]$/g, '')) : undefined;
  };
  await context.route('**/*', async (route) => ((await refused(route.request().url())) ? route.abort('addressunreachable') : route.continue()));
  await context.routeWebSocket(/.*/, async (ws) => {
    if (await refused(ws.url())) return ws.close({ code: 1008, reason: 'refused: not a public address' });
    ws.connectToServer();
  });
}

/**
 * Everything a screenshot could show, and more: each frame's address, title, text and field
 * values (iframes and srcdoc frames are frames of their own), the text inside open shadow roots,
 * and, through the DevTools protocol, every text node and attribute of the whole tree, closed
 * shadow roots and cross-origin frames included.
 */
async function visibleText(page: Page): Promise<string> {
  const parts: string[] = [page.url()];
  for (const frame of page.frames()) {
    parts.push(frame.url());
    parts.push(
      await frame
        .evaluate(() => {
          const out: string[] = [document.title];
          const walk = (root: Document | ShadowRoot) => {
            out.push((root instanceof Document ? root.body?.innerText : (root.host as HTMLElement).innerText) ?? '', root.textContent ?? '');
            for (const el of root.querySelectorAll('*')) {
              if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) out.push(el.value);
              if (el.shadowRoot) walk(el.shadowRoot);
            }
          };
          walk(document);
          return out.join('\n');
        })
        .catch(() => ''),
    );
  }
  try {
    const cdp = await page.context().newCDPSession(page);
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const walk = (n: DomNode) => {
      if (n.nodeValue) parts.push(n.nodeValue);
      // Attributes come as [name, value, name, value…]; only those a page shows count.
      for (let i = 0; i + 1 < (n.attributes?.length ?? 0); i += 2) if (shown.has(n.attributes![i])) parts.push(n.attributes![i + 1]);
      for (const c of [...(n.children ?? []), ...(n.shadowRoots ?? []), ...(n.contentDocument ? [n.contentDocument] : [])]) walk(c);
    };
    walk(root);
    await cdp.detach().catch(() => {});
  } catch {
    // Not Chromium, or the page went away: the frames above were still read.
  }
  return parts.join('\n');
}

/** Attributes whose values show in a screenshot. */
const shown = new Set(['value', 'placeholder', 'alt', 'title', 'label', 'aria-label', 'content']);

type DomNode = { nodeValue?: string; attributes?: string[]; children?: DomNode[]; shadowRoots?: DomNode[]; contentDocument?: DomNode };

/** Blanks fields filled from secrets, refuses if any form of a secret still shows anywhere, then takes a size-capped JPEG. */
async function screenshot(
  page: Page,
  steps: readonly BrowserStep[],
  secretSteps: ReadonlySet<number>,
  secrets: { exposes(text: string): boolean } | undefined,
  before?: (page: Page) => Promise<void>,
): Promise<Pick<NonNullable<ProbeResult['browser']>, 'screenshot' | 'note'>> {
  try {
    for (const i of secretSteps) {
      const s = steps[i] as { fill?: { selector: string } };
      if (s.fill)
        await page
          .locator(s.fill.selector)
          .evaluateAll((els) => {
            for (const el of els) (el as HTMLInputElement).value = '';
          })
          .catch(() => {});
    }
    if (secrets?.exposes(await visibleText(page))) return { note: 'screenshot withheld: a secret is visible on the page' };
    await before?.(page);
    for (const quality of [60, 40, 25]) {
      const shot = await page.screenshot({ type: 'jpeg', quality, timeout: 5_000 });
      if (shot.length <= MAX_SCREENSHOT) return { screenshot: shot };
    }
    return { note: `screenshot over ${MAX_SCREENSHOT / 1024} KB even at low quality; not kept` };
  } catch (error) {
    return { note: `no screenshot: ${String((error as Error).message ?? error)}` };
  }
}
