/** What a vendor writes for a browser check: a journey of steps. */
import { z } from 'zod';
import { checkBase, durationIn, latency, show } from '../../config/fields.ts';

const stepTimeout = { timeout: durationIn('100ms', '10m').optional().describe("This step's own limit (the check's `step_timeout` otherwise).") };

const selector = z.string().min(1).describe('A CSS selector (Playwright syntax).');

const stepForms = {
  goto: z.strictObject({ goto: z.string().min(1).describe('Open this address.'), ...stepTimeout }),
  fill: z.strictObject({
    fill: z
      .strictObject({ selector, value: z.string().describe('The text; from a secret: `${{ env.NAME }}` (blanked before any screenshot).') })
      .describe('Type into the field matching the selector.'),
    ...stepTimeout,
  }),
  click: z.strictObject({ click: selector.describe('Click the first element matching this selector.'), ...stepTimeout }),
  press: z.strictObject({
    press: z
      .union([z.string().min(1), z.strictObject({ selector: selector.optional(), key: z.string().min(1) })])
      .describe('Press a key ("Enter"), optionally in an element.'),
    ...stepTimeout,
  }),
  wait_for: z.strictObject({
    wait_for: z
      .union([selector, z.strictObject({ selector }), z.strictObject({ url: z.string().min(1) })])
      .describe('Wait until an element is visible, or the address matches ("**/dashboard").'),
    ...stepTimeout,
  }),
  expect_text: z.strictObject({
    expect_text: z
      .union([z.string().min(1), z.strictObject({ selector: selector.optional(), text: z.string().min(1) })])
      .describe('The page (or an element) must show this text.'),
    ...stepTimeout,
  }),
  expect_url: z.strictObject({ expect_url: z.string().min(1).describe('The address must match (a prefix, or a glob with * and **).'), ...stepTimeout }),
  expect_title: z.strictObject({ expect_title: z.string().min(1).describe('The title must contain this text.'), ...stepTimeout }),
};

const stepHelp: Record<keyof typeof stepForms, string> = {
  goto: '`goto: URL`',
  fill: '`fill: { selector: "#email", value: "…" }`',
  click: '`click: SELECTOR`',
  press: '`press: Enter` or `press: { selector, key }`',
  wait_for: '`wait_for: SELECTOR`, `wait_for: { selector }` or `wait_for: { url: "**/dashboard" }`',
  expect_text: '`expect_text: TEXT` or `expect_text: { selector, text }`',
  expect_url: '`expect_url: PATTERN`',
  expect_title: '`expect_title: TEXT`',
};

/** Says which action was meant, and what that action takes, instead of "matches no form". */
function stepError(input: unknown): string {
  const actions = Object.keys(stepForms);
  if (!input || typeof input !== 'object' || Array.isArray(input)) return `expected one step such as ${stepHelp.goto} or ${stepHelp.click}, got ${show(input)}`;
  const keys = Object.keys(input).filter((k) => k !== 'timeout');
  if (keys.length !== 1) return `a step has exactly one action (${actions.join(', ')}), got ${keys.length ? keys.join(', ') : 'none'}`;
  const key = keys[0];
  if (!(key in stepForms)) {
    const near = actions.find((a) => a.startsWith(key.slice(0, 3))) ?? actions.find((a) => a.includes(key));
    return `unknown step "${key}"${near ? ` (did you mean "${near}"?)` : ''}; steps are ${actions.join(', ')}`;
  }
  return `${key} takes ${stepHelp[key as keyof typeof stepForms]}, got ${show((input as Record<string, unknown>)[key])}`;
}

/** One step of a browser journey: exactly one action. */
export const browserStep = z.union(Object.values(stepForms) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]], {
  error: (iss) => stepError(iss.input),
}) as z.ZodType<z.output<(typeof stepForms)[keyof typeof stepForms]>, z.input<(typeof stepForms)[keyof typeof stepForms]>>;

export const browserCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('browser').describe('A scripted journey in Chromium: steps in order.'),
  steps: z
    .array(browserStep)
    .min(1, { error: 'a browser check needs at least one step, e.g. `- goto: https://…`' })
    .describe("The journey, in order: the customer's path through login to the dashboard."),
  step_timeout: durationIn('100ms', '10m').prefault('10s').describe('Limit for each step.'),
  viewport: z
    .strictObject({ width: z.number().int().min(320).max(3840), height: z.number().int().min(240).max(2160) })
    .prefault({ width: 1280, height: 800 })
    .describe('Browser window size.'),
  expect: z.strictObject({ ...latency }).prefault({}),
});

export type BrowserCheck = z.output<typeof browserCheck>;
export type BrowserStep = z.output<typeof browserStep>;
