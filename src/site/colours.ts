/**
 * The status colours, written once: the 90-day bars, the icons, the favicon and the badges all
 * take theirs from here. Each has at least 4.5:1 contrast with white (badges put white text on
 * it) and 3:1 with the page (bars and icons are graphics); every status also has its own shape or
 * pattern, so none depends on colour alone.
 */
import type { ComponentStatus } from '../status/vocabulary.ts';

export const statusColour: Record<ComponentStatus, string> = {
  operational: '#15803d',
  degraded_performance: '#b45309',
  partial_outage: '#c2410c',
  major_outage: '#b91c1c',
  under_maintenance: '#1d4ed8',
  nodata: '#6b7280',
};

/** The same colours as Tailwind text classes for icons, with lighter ones on dark pages. */
export const statusTextClass: Record<ComponentStatus, string> = {
  operational: 'text-green-700 dark:text-green-400',
  degraded_performance: 'text-amber-700 dark:text-amber-300',
  partial_outage: 'text-orange-700 dark:text-orange-400',
  major_outage: 'text-red-700 dark:text-red-400',
  under_maintenance: 'text-blue-700 dark:text-blue-300',
  nodata: 'text-gray-500 dark:text-gray-400',
};

/** The maintenance mark: a blue foot, on a day's bar and on its legend swatch (half as tall). */
const foot = (selector: string, px: number) => `${selector}{box-shadow:inset 0 -${px}px 0 ${statusColour.under_maintenance}}`;

/** The `.st-<status>` rules the bars read their colour from (`--st`), inlined by the layout. */
export const statusCss = `${Object.entries(statusColour)
  .map(([status, hex]) => `.st-${status}{--st:${hex}}`)
  .join('')}.strip,.bar-legend{--st:${statusColour.operational}}${foot('.strip li.mt', 6)}${foot('.bar-swatch.mt', 3)}`;
