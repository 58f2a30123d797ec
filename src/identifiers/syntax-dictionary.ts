import type { AiCharacterSet, AiComponentSpec, AiTableEntry } from './ai-table-types.js';

/**
 * Parser for the GS1 Barcode Syntax Dictionary text format (see the header of
 * schemas/gs1/digital-link/gs1-syntax-dictionary.txt). Used by the AI table generator and
 * by the test that checks the generated table is current; never at request time.
 */

const FLAG_TOKEN = /^[^A-Za-z0-9]+$/;
const COMPONENT_TYPE = /^([NXYZ])(\.\.)?(\d+)$/;
const AI_RANGE = /^(\d{2,4})(?:-(\d{2,4}))?$/;

export interface SyntaxDictionary {
  readonly release: string;
  readonly entries: readonly AiTableEntry[];
}

export function parseSyntaxDictionary(text: string): SyntaxDictionary {
  const releaseMatch = /^#\s*Release:\s*(\S+)/m.exec(text);
  const entries: AiTableEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    try {
      entries.push(parseEntry(line));
    } catch (error) {
      throw new Error(`gs1-syntax-dictionary line ${index + 1}: ${(error as Error).message}`);
    }
  }
  return { release: releaseMatch?.[1] ?? 'unknown', entries };
}

function parseEntry(line: string): AiTableEntry {
  const hash = line.indexOf('#');
  const title = hash >= 0 ? line.slice(hash + 1).trim() : '';
  const tokens = (hash >= 0 ? line.slice(0, hash) : line).trim().split(/\s+/);

  const range = AI_RANGE.exec(tokens[0] ?? '');
  if (!range?.[1]) throw new Error(`bad AI "${tokens[0]}"`);
  const first = range[1];
  const last = range[2] ?? first;

  let position = 1;
  let flags = '';
  if (tokens[position] !== undefined && FLAG_TOKEN.test(tokens[position] ?? '')) {
    flags = tokens[position] ?? '';
    position++;
  }

  const components: AiComponentSpec[] = [];
  while (position < tokens.length && /^\[?[NXYZ]/.test(tokens[position] ?? '')) {
    components.push(parseComponent(tokens[position] ?? ''));
    position++;
  }
  if (components.length === 0) throw new Error('no format specification');

  let dlPrimaryKey: string[][] | null = null;
  const req: string[][] = [];
  const ex: string[] = [];
  for (; position < tokens.length; position++) {
    const token = tokens[position] ?? '';
    const equals = token.indexOf('=');
    const key = equals >= 0 ? token.slice(0, equals) : token;
    const value = equals >= 0 ? token.slice(equals + 1) : '';
    if (key === 'dlpkey') {
      dlPrimaryKey = value === '' ? [[]] : value.split('|').map((sequence) => sequence.split(','));
    } else if (key === 'req') {
      req.push(value.split(','));
    } else if (key === 'ex') {
      ex.push(...value.split(','));
    } else {
      throw new Error(`unknown attribute "${token}"`);
    }
  }

  return {
    first,
    last,
    fixedLength: flags.includes('*'),
    dlAttribute: flags.includes('?'),
    components,
    dlPrimaryKey,
    req,
    ex,
    title,
  };
}

function parseComponent(token: string): AiComponentSpec {
  let optional = false;
  let spec = token;
  if (spec.startsWith('[')) {
    const close = spec.indexOf(']');
    if (close < 0) throw new Error(`unclosed optional component "${token}"`);
    optional = true;
    spec = spec.slice(1, close) + spec.slice(close + 1);
  }
  const [type = '', ...linters] = spec.split(',');
  const match = COMPONENT_TYPE.exec(type);
  if (!match?.[1] || !match[3]) throw new Error(`bad component "${token}"`);
  const length = Number(match[3]);
  return {
    cset: match[1] as AiCharacterSet,
    min: match[2] ? 1 : length,
    max: length,
    optional,
    linters,
  };
}
