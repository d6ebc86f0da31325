import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ReplayError } from '../session/replay-error.ts';

/** The two bytes every gzip stream starts with (RFC 1952 §2.3.1). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * The text of an import file, as UTF-8: plain, or gzipped (recognised by its first two bytes, whatever its name),
 * so that `…_message_1.csv.gz` imports as it is downloaded or committed.
 *
 * @throws {ReplayError} `BAD_IMPORT` when the file cannot be read or its gzip stream is corrupt
 */
export function readImportText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new ReplayError('BAD_IMPORT', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (cause) {
    throw new ReplayError('BAD_IMPORT', `cannot gunzip ${file}: ${(cause as Error).message}`, { cause });
  }
}
