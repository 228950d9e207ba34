// Colours chosen to stay distinguishable with the common colour-vision
// deficiencies: blue against orange, never red against green.
export const CLASS_COLORS = Object.freeze(["#2c7bb6", "#e66101"]);
export const CLASS_FILLS = Object.freeze(["#cfe3f2", "#fbdcc2"]);

// Diverging scale from blue (-1) through light grey (0) to orange (+1).
const NEGATIVE_END = [44, 123, 182];
const MIDDLE = [247, 247, 247];
const POSITIVE_END = [230, 97, 1];

function mix(from, to, amount) {
  return from.map((channel, index) => Math.round(channel + (to[index] - channel) * amount));
}

/**
 * Maps `value` in [-1, 1] to an [r, g, b] colour on the diverging scale.
 * Values outside the range are clamped; NaN maps to mid grey so that a
 * broken model stays visible as a uniform field.
 */
export function divergingRgb(value) {
  if (Number.isNaN(value)) return [128, 128, 128];
  const clamped = Math.max(-1, Math.min(1, value));
  return clamped < 0
    ? mix(MIDDLE, NEGATIVE_END, -clamped)
    : mix(MIDDLE, POSITIVE_END, clamped);
}

export function rgbToCss([red, green, blue], alpha = 1) {
  return alpha === 1
    ? `rgb(${red}, ${green}, ${blue})`
    : `rgba(${red}, ${green}, ${blue}, ${alpha})`;
}

/** Colour of a weight: blue for negative, orange for positive. */
export function weightColor(weight) {
  return weight < 0 ? rgbToCss(NEGATIVE_END) : rgbToCss(POSITIVE_END);
}
