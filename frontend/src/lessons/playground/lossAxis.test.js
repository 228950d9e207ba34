import { describe, expect, it } from "vitest";
import { formatLossTicks, lossAxisRange, lossTicks, lossUnit, niceStep, scaleColumns } from "./lossAxis.js";

function axisLabels(dataMin, dataMax) {
  const { min, max, step } = lossAxisRange(dataMin, dataMax);
  return formatLossTicks(lossTicks(min, max, step), step);
}

describe("niceStep", () => {
  it("rounds up to 1, 2, 2.5 or 5 times a power of ten", () => {
    expect(niceStep(0.125)).toBeCloseTo(0.2, 12);
    expect(niceStep(0.1)).toBeCloseTo(0.1, 12);
    expect(niceStep(2.1)).toBe(2.5);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(1.236e227)).toBe(2e227);
  });
});

describe("lossAxisRange", () => {
  it("starts at zero and ends on a tick above the largest loss", () => {
    const axis = lossAxisRange(0.49, 0.5);
    expect(axis.min).toBe(0);
    expect(axis.step).toBeCloseTo(0.2, 12);
    expect(axis.max).toBeCloseTo(0.6, 12);
  });

  it("spans a diverged loss", () => {
    const axis = lossAxisRange(0.5, 4.944242175472082e227);
    expect(axis.min).toBe(0);
    expect(axis.step).toBe(2e227);
    expect(axis.max / 6e227).toBeCloseTo(1, 12);
  });

  it("stays finite next to the largest double", () => {
    const axis = lossAxisRange(0, 1.7e308);
    expect(Number.isFinite(axis.max)).toBe(true);
    expect(axis.max).toBeGreaterThanOrEqual(1.7e308);
  });

  it("falls back to 0 to 1 without data or with zero loss", () => {
    for (const [low, high] of [[null, null], [0, 0], [Number.NaN, Number.NaN]]) {
      const axis = lossAxisRange(low, high);
      expect(axis.min).toBe(0);
      expect(axis.max).toBe(1);
    }
  });
});

describe("lossTicks", () => {
  it("lists every step from min to max", () => {
    expect(lossTicks(0, 6, 2)).toEqual([0, 2, 4, 6]);
  });

  it("keeps the top tick despite rounding", () => {
    expect(lossTicks(0, 0.6000000000000001, 0.2)).toHaveLength(4);
  });
});

describe("formatLossTicks", () => {
  it("gives distinct labels for a single epoch's loss", () => {
    expect(axisLabels(0.5, 0.5)).toEqual(["0", "0.2", "0.4", "0.6"]);
  });

  it("labels a diverged loss with exponents", () => {
    expect(axisLabels(0.5, 4.944242175472082e227)).toEqual(["0", "2e+227", "4e+227", "6e+227"]);
  });

  it("keeps the half digit of 2.5 steps", () => {
    expect(formatLossTicks([0, 2.5e5, 5e5, 7.5e5, 1e6], 2.5e5)).toEqual([
      "0",
      "2.5e+5",
      "5e+5",
      "7.5e+5",
      "1e+6",
    ]);
    expect(formatLossTicks([0, 0.025, 0.05], 0.025)).toEqual(["0", "0.025", "0.050"]);
  });

  it("labels every tick differently for losses of any size", () => {
    for (const high of [1e-9, 0.003, 0.51, 2.2, 37, 9000, 12345, 3.3e33, 1e300]) {
      const labels = axisLabels(0, high);
      expect(new Set(labels).size).toBe(labels.length);
      expect(labels.length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe("lossUnit", () => {
  it("plots usual losses as they are", () => {
    for (const value of [0.001, 0.5, 12, 9999]) expect(lossUnit(value)).toBe(1);
  });

  it("divides huge and tiny losses by their power of ten", () => {
    expect(lossUnit(4.944242175472082e227)).toBe(1e227);
    expect(lossUnit(12345)).toBe(1e4);
    expect(lossUnit(3.2e-9)).toBeCloseTo(1e-9, 20);
    expect(lossUnit(1.7976931348623157e308)).toBe(1e308);
  });

  it("plots as they are when no loss is positive and finite", () => {
    for (const value of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(lossUnit(value)).toBe(1);
  });
});

describe("scaleColumns", () => {
  it("divides the losses and keeps epochs and gaps", () => {
    const columns = [[0, 1, 2], [0.5, 1e4, null], [0.25, 4e4, 5e4]];
    expect(scaleColumns(columns, 1e4)).toEqual([[0, 1, 2], [5e-5, 1, null], [2.5e-5, 4, 5]]);
  });

  it("leaves the columns alone for unit 1", () => {
    const columns = [[0], [0.5]];
    expect(scaleColumns(columns, 1)).toEqual(columns);
  });
});

describe("scaled axis labels", () => {
  it("labels the ticks of a scaled diverged loss with the real losses", () => {
    const unit = lossUnit(4.944242175472082e227);
    const { min, max, step } = lossAxisRange(0.5 / unit, 4.944242175472082e227 / unit);
    const ticks = lossTicks(min, max, step).map((tick) => tick * unit);
    expect(formatLossTicks(ticks, step * unit)).toEqual(["0", "2e+227", "4e+227", "6e+227"]);
  });
});
