/**
 * The one way Upkeep reads YAML (check files, site.yml, maintenance.yml, incident front matter):
 * every problem is a `file:line:col` error, never an exception, in bounded time and memory.
 * Undefined aliases, alias bombs ("billion laughs"), nesting too deep for the parser and any other
 * surprise become errors at the place they are.
 */
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { ConfigError } from './errors.ts';
import { firstUnwanted } from '../text/plain.ts';

/** Alias uses allowed in one document: plenty for real files, far too few for an expansion attack. */
const MAX_ALIASES = 100;

export type ParsedYaml = { doc: Document; lines: LineCounter; data: unknown };

export type YamlResult = { parsed?: ParsedYaml; errors: ConfigError[]; warnings: string[] };

const firstLine = (text: string) => text.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');

const messageHints: [RegExp, string][] = [
  [/without - indicator/, 'this line is indented differently from the lines above it; keys of one item line up'],
  [
    /Implicit keys need to be on a single line|Implicit map keys need to be followed by map values/,
    'a key is missing its ":", or a value with ": " needs quotes',
  ],
  [/Missing closing .?quote/, 'a quoted string is not closed'],
  [/Tabs are not allowed|tab characters/i, 'YAML indents with spaces, not tabs'],
];

const codeHints: Record<string, string> = {
  BAD_INDENT: 'indent nested keys with spaces, the same amount for every key at one level',
  TAB_AS_INDENT: 'YAML indents with spaces, not tabs',
  DUPLICATE_KEY: 'each key may appear once per mapping; remove or rename one',
  BLOCK_AS_IMPLICIT_KEY: 'a key is missing its ":" or the line above is mis-indented',
  MULTILINE_IMPLICIT_KEY: 'a key is missing its ":" or a string needs quotes',
  UNEXPECTED_TOKEN: 'quote values that contain ": " or start with "{", "[", "*" or "&"',
  RESOURCE_EXHAUSTION: 'the file nests too deeply to read; flatten it',
};

/**
 * Parses one YAML text. `lineShift` moves reported lines (front matter starts on line 2 of its file).
 * Returns the document and its plain data, or errors.
 */
export function parseYaml(text: string, file: string, lineShift = 0): YamlResult {
  const lines = new LineCounter();
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line + lineShift, col: p.col };
  };
  const error = (offset: number, message: string): ConfigError => ({ file, ...at(offset), path: '', message });
  let doc: Document;
  // A byte order mark is an editor's habit, not content.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    return { errors: [error(0, `YAML: cannot be read (${firstLine((e as Error).message ?? String(e))})`)], warnings: [] };
  }
  if (doc.errors.length > 0) {
    return {
      errors: doc.errors.map((e) => {
        const hint = messageHints.find(([re]) => re.test(e.message))?.[1] ?? codeHints[e.code];
        return error(e.pos[0], `YAML: ${firstLine(e.message)}${hint ? ` — ${hint}` : ''}`);
      }),
      warnings: [],
    };
  }
  const warnings = doc.warnings.map((w) => {
    const p = at(w.pos[0]);
    return `${file}:${p.line}:${p.col}  ${firstLine(w.message)}`;
  });
  const aliases = aliasProblems(doc);
  if (aliases.length > 0) return { errors: aliases.map((a) => error(a.offset, a.message)), warnings };
  const controls = controlProblems(doc);
  if (controls.length > 0) return { errors: controls.map((a) => error(a.offset, a.message)), warnings };
  try {
    return { parsed: { doc, lines, data: doc.toJS({ maxAliasCount: MAX_ALIASES }) }, errors: [], warnings };
  } catch (e) {
    const message = String((e as Error).message ?? e);
    const first = firstAlias(doc);
    if (/alias count|resource exhaustion/i.test(message)) {
      return {
        errors: [
          error(
            first,
            `YAML: these aliases expand to too much data (${MAX_ALIASES} alias uses or more once expanded); write the values out instead of nesting aliases`,
          ),
        ],
        warnings,
      };
    }
    return { errors: [error(first, `YAML: cannot be read (${firstLine(message)})`)], warnings };
  }
}

/** Strings with control characters (a NUL written as "\0"): no page or feed can carry them. */
function controlProblems(doc: Document): { offset: number; message: string }[] {
  const problems: { offset: number; message: string }[] = [];
  try {
    visit(doc, {
      Scalar(_key, node) {
        const bad = typeof node.value === 'string' ? firstUnwanted(node.value) : undefined;
        if (bad)
          problems.push({
            offset: node.range?.[0] ?? 0,
            message: `this text holds the control character ${bad}, which pages and feeds cannot show: remove it`,
          });
      },
    });
  } catch {
    // Too deep to walk: reported by toJS below.
  }
  return problems;
}

/** Aliases that name no anchor defined before them. */
function aliasProblems(doc: Document): { offset: number; message: string }[] {
  const problems: { offset: number; message: string }[] = [];
  try {
    visit(doc, {
      Alias(_key, node) {
        if (node.resolve(doc) === undefined) {
          problems.push({
            offset: node.range?.[0] ?? 0,
            message: `YAML: the alias *${node.source} names no anchor; define "&${node.source}" on a value above it, or write the value out`,
          });
        }
      },
    });
  } catch {
    // A document too deep to walk has already failed to parse; toJS reports it.
  }
  return problems;
}

function firstAlias(doc: Document): number {
  let offset = 0;
  try {
    visit(doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
  } catch {
    // Nothing better to point at than the start of the file.
  }
  return offset;
}
