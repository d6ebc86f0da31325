import { type Options, Packr } from 'msgpackr';

/**
 * msgpackr options that keep every frame *standard* MessagePack, decodable by any language's msgpack
 * library, with nothing but maps, arrays, strings, ints, nil and booleans:
 * - `useRecords: false` — no record extension (0xd4 0x72 …); a plain object becomes a msgpack map. A bare
 *   `new Packr()` has records on, so this must be explicit (msgpackr's module-level `pack` already sets it).
 * - `moreTypes`, `structuredClone`, `bundleStrings`, `useBigIntExtension` off — each adds msgpackr-only
 *   extension types (Set/Map/Error, references, bundled strings, >64-bit ints).
 * - `encodeUndefinedAsNil: true` — otherwise `undefined` becomes fixext1 type 0, an extension.
 * - `variableMapSize: true` — maps get their smallest header (fixmap, 1 byte) instead of always map16
 *   (3 bytes); standard either way, 2 bytes smaller per map.
 * - `mapsAsObjects: true` — decode maps as plain objects (the default once records are off).
 * - `int64AsType: 'bigint'` — int64/uint64 decode as bigint, never rounded; fields that are JS numbers
 *   are converted back by the codec (see `wire-ints.ts` for why those go out as int64).
 */
export const PORTABLE_MSGPACK_OPTIONS = {
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

/** A `Packr` (which also unpacks) with `PORTABLE_MSGPACK_OPTIONS`. `pack` and `encode` are the same method. */
export function portablePackr(): Packr {
  return new Packr(PORTABLE_MSGPACK_OPTIONS);
}
