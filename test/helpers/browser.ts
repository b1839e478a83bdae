import { existsSync } from 'node:fs';
import { after } from 'node:test';
import { chromium, type Browser } from 'playwright';

/** Debian's Chromium here (or UPKEEP_CHROMIUM); Playwright's own browser where it is installed (GitHub runners). */
export function chromiumPath(): string | undefined {
  const configured = process.env.UPKEEP_CHROMIUM;
  if (configured) return configured;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  after(() => browser.close());
  return browser;
}
