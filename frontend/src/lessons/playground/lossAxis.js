/**
 * The loss chart's y axis: unit, range, tick positions and tick labels.
 *
 * uPlot (1.6) draws no y ticks once the values have more than 17 integer
 * digits, and its labels cannot tell 0.4999 from 0.5. So the chart plots
 * losses divided by a power of ten (`lossUnit`), sets the range and ticks
 * itself and labels each tick with the loss it stands for. The axis stays
 * readable for a single epoch and for a loss that diverged to 1e227.
 */

const TARGET_TICK_COUNT = 4;
const NICE_MANTISSAS = [1, 2, 2.5, 5, 10];

// Losses in [UNIT_MIN, UNIT_MAX) are plotted as they are.
const UNIT_MIN = 1e-3;
const UNIT_MAX = 1e4;

/**
 * Returns the power of ten the chart divides every loss by, so that the
 * largest loss `maxLoss` is plotted from 1 to 10; 1 for losses from 1e-3 up
 * to 1e4 and when no loss is finite.
 */
export function lossUnit(maxLoss) {
  if (!Number.isFinite(maxLoss) || maxLoss <= 0) return 1;
  if (maxLoss >= UNIT_MIN && maxLoss < UNIT_MAX) return 1;
  return 10 ** Math.floor(Math.log10(maxLoss));
}

/** Returns the chart columns with every y value divided by `unit`; x and nulls stay. */
export function scaleColumns([xs, ...ys], unit) {
  if (unit === 1) return [xs, ...ys];
  return [xs, ...ys.map((values) => values.map((value) => (value === null ? null : value / unit)))];
}

/** Returns the smallest step of the form 1, 2, 2.5 or 5 times a power of ten that is >= `raw`. */
export function niceStep(raw) {
  const power = 10 ** Math.floor(Math.log10(raw));
  const mantissa = NICE_MANTISSAS.find((candidate) => candidate * power >= raw * (1 - 1e-12));
  return mantissa * power;
}

/**
 * Returns the axis { min, max, step } for losses from `dataMin` to `dataMax`
 * (null when no loss is finite). Losses are never negative, so the axis
 * starts at 0 and ends on the first tick at or above the largest loss.
 */
export function lossAxisRange(dataMin, dataMax) {
  const min = Number.isFinite(dataMin) && dataMin < 0 ? dataMin : 0;
  const hasData = Number.isFinite(dataMax) && dataMax > min;
  const top = hasData ? dataMax : min + 1;
  const step = niceStep((top - min) / TARGET_TICK_COUNT);
  const max = Math.ceil((top - min) / step - 1e-9) * step + min;
  // Near Number.MAX_VALUE the tick above the data overflows to Infinity.
  return { min, max: Number.isFinite(max) ? max : top, step };
}

/** Returns the tick positions from `min` to `max` every `step`. */
export function lossTicks(min, max, step) {
  const ticks = [];
  const count = Math.floor((max - min) / step + 1e-9);
  for (let index = 0; index <= count; index++) ticks.push(min + index * step);
  return ticks;
}

function decimalsOf(step) {
  const power = Math.floor(Math.log10(step));
  const mantissa = step / 10 ** power;
  const hasHalfDigit = Math.abs(mantissa - Math.round(mantissa)) > 1e-9;
  return { power, extra: hasHalfDigit ? 1 : 0 };
}

/**
 * Formats tick labels with just enough digits to tell neighbouring ticks
 * apart: "0.25", "1.5e+227". Steps of 1e4 or more and below 1e-3 use
 * exponent notation.
 */
export function formatLossTicks(ticks, step) {
  const { power, extra } = decimalsOf(step);
  const useExponent = power >= 4 || power < -3;
  return ticks.map((tick) => {
    if (Math.abs(tick) < step * 1e-9) return "0";
    if (!useExponent) return tick.toFixed(Math.max(0, -power + extra));
    const tickPower = Math.floor(Math.log10(Math.abs(tick)));
    const digits = Math.max(0, tickPower - power + extra);
    return tick.toExponential(digits).replace(/\.?0+e/, "e");
  });
}
