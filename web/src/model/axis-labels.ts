/**
 * The height of lightweight-charts' last-price badge as a multiple of the axis font size: the text plus 2.5 px
 * of padding above and below at 12 px (the library's price-axis renderer options).
 */
const BADGE_HEIGHT_EM = 17 / 12;

/**
 * Hides the price-axis labels the last-price badge would cover. lightweight-charts draws the badge over the
 * axis's tick labels (https://github.com/tradingview/lightweight-charts/issues/1046 is about the layering), so a
 * label behind it is half hidden and reads as a different number; a trader's chart leaves that slot empty.
 *
 * @param labels - the tick labels, as formatted
 * @param coords - each label's y coordinate in px (null when the scale cannot place it yet)
 * @param badge - the badge's y coordinate in px, or null when there is none
 * @param fontSize - the axis font size in px
 * @returns `labels`, with `''` for each one whose text would overlap the badge
 */
export function clearOfBadge(
  labels: readonly string[],
  coords: readonly (number | null)[],
  badge: number | null,
  fontSize: number,
): string[] {
  if (badge === null) return [...labels];
  // Half the badge plus half a label's text: closer centres overlap.
  const clearance = ((BADGE_HEIGHT_EM + 1) / 2) * fontSize;
  return labels.map((label, i) => {
    const y = coords[i];
    return y !== null && y !== undefined && Math.abs(y - badge) < clearance ? '' : label;
  });
}
