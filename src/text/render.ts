/**
 * Markdown people wrote (incident updates, maintenance descriptions), rendered safely with
 * micromark: raw HTML is shown as text, and javascript:/data: links are dropped. Nothing a person
 * typed reaches a page, a feed or the JSON API as markup.
 */
import { micromark } from 'micromark';

export function markdownToHtml(text: string): string {
  return micromark(text);
}

/**
 * Plain text for the JSON API and feed titles: the rendered text without tags. `<` and `>` stay
 * escaped, so a client that drops the text into HTML still shows it as text.
 */
export function markdownToText(text: string): string {
  return markdownToHtml(text)
    .replace(/<\/(p|li|h\d|pre|blockquote)>/g, '\n')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;(?!lt;|gt;)/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** One-line plain text (titles, names) with angle brackets escaped. */
export function plainLine(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .trim();
}
