import { readFileSync } from 'node:fs';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The bytes of the hex block that follows `<!-- name -->` in replay/README.md (the golden fixtures). */
export function goldenHex(name: string): Uint8Array {
  const at = readme.indexOf(`<!-- ${name} -->`);
  if (at < 0) throw new Error(`replay/README.md has no <!-- ${name} --> marker`);
  const block = /```\n([\s\S]*?)```/.exec(readme.slice(at));
  const hex = (block?.[1] ?? '').replace(/\s+/g, '');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** Rows `| \`CODE\` | meaning |` of the README section starting with `heading`. */
export function readmeCodeTable(heading: string): Record<string, string> {
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`replay/README.md has no section ${heading}`);
  const rows: Record<string, string> = {};
  for (const line of readme.slice(start).split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    const m = /^\| `([A-Z_]+)` +\| (.+?) *\|$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) rows[m[1]] = m[2];
  }
  return rows;
}
