/**
 * Number formats for losses: a few significant digits, and exponent notation
 * where fixed notation would be very long (a diverging loss) or all zeros.
 */

// Fixed notation covers [FIXED_MIN, FIXED_MAX); values outside use exponents.
const FIXED_MIN = 1e-3;
const FIXED_MAX = 1e4;

/** Removes trailing zeros of a mantissa: "5.00e+227" becomes "5e+227". */
function trimMantissa(text) {
  return text.replace(/\.?0+e/, "e");
}

/**
 * Formats `value` with `digits` significant digits: "0.502", "12.3",
 * "4.94e+227", "1.2e-7". Zero is "0"; NaN, infinities and null are "-".
 */
export function formatLoss(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "-";
  if (value === 0) return "0";
  const size = Math.abs(value);
  if (size < FIXED_MIN || size >= FIXED_MAX) {
    return trimMantissa(value.toExponential(digits - 1));
  }
  const text = value.toPrecision(digits);
  // toPrecision switches to exponents by itself for 1000 to 9999 with 3 digits.
  return text.includes("e") ? String(Math.round(value)) : text;
}
