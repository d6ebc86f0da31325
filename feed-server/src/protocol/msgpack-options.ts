import type { Options } from 'msgpackr';

/**
 * The msgpackr options of the wire (PROTOCOL.md §2, §11), pinned once: every `Packr`/`Unpackr` of the protocol, of
 * the log's segment headers and of the encoding benchmarks is built from these, so the bytes stay *standard*
 * MessagePack, decodable by any language's library, with nothing but maps, arrays, strings, ints, floats, nil
 * and booleans (measured in bench/encoding/codecs/portable-msgpack.ts):
 * - `useRecords: false` — no record extension (0xd4 0x72 …); a plain object becomes a map. A bare `new Packr()`
 *   has records on, so this must be explicit.
 * - `moreTypes`, `structuredClone`, `bundleStrings`, `useBigIntExtension` off — each adds msgpackr-only
 *   extension types (Set/Map/Error, references, bundled strings, >64-bit ints).
 * - `encodeUndefinedAsNil: true` — otherwise `undefined` becomes fixext1 type 0, an extension.
 * - `variableMapSize: true` — maps get their smallest header (fixmap, 1 byte) instead of always map16 (3 bytes).
 * - `mapsAsObjects: true` — maps decode as plain objects (msgpackr renames a `__proto__` key to `__proto_`).
 * - `int64AsType: 'bigint'` — int64/uint64 decode as bigint, never rounded; the decoders turn them back into
 *   numbers and refuse one beyond 2^53 (§3).
 */
export const PLAIN_MSGPACK_OPTIONS = {
  useRecords: false,
  moreTypes: false,
  structuredClone: false,
  bundleStrings: false,
  useBigIntExtension: false,
  encodeUndefinedAsNil: true,
  variableMapSize: true,
  mapsAsObjects: true,
  int64AsType: 'bigint',
} as const satisfies Options;
