import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export function readProjectFile(path: string): string {
  return readFileSync(join(projectRoot, path), 'utf8');
}

export function listFiles(directory: string): string[] {
  const absolute = join(projectRoot, directory);
  return readdirSync(absolute)
    .sort()
    .flatMap((name) => {
      const path = join(directory, name);
      return statSync(join(projectRoot, path)).isDirectory() ? listFiles(path) : [path];
    });
}

/** Rows of the Examples table of a gherkin "Scenario Outline", as header -> cell records. */
export function scenarioExamples(featureText: string, title: string): Record<string, string>[] {
  const lines = featureText.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === `Scenario Outline: ${title}`);
  if (start < 0) throw new Error(`no scenario "${title}"`);
  let index = lines.findIndex((line, at) => at > start && line.trim() === 'Examples:');
  while (!lines[index]!.trim().startsWith('|')) index++;
  const cells = (line: string) => line.trim().slice(1, -1).split('|').map((cell) => cell.trim());
  const header = cells(lines[index]!);
  const rows: Record<string, string>[] = [];
  for (index++; index < lines.length && lines[index]!.trim().startsWith('|'); index++) {
    const values = cells(lines[index]!);
    rows.push(Object.fromEntries(header.map((name, column) => [name, values[column] ?? ''])));
  }
  return rows;
}

/** "(01)05412345000013(10)ABC123" -> [["01","05412345000013"],["10","ABC123"]] */
export function bracketedElementStrings(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  const pattern = /\((\d{2,4})\)([^(]*)/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) pairs.push([match[1]!, match[2]!]);
  return pairs;
}
