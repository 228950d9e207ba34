import { describe, expect, it } from "vitest";
import { offChartNote, ticks, yDomain } from "./curveView.js";
import {
  describeOutcome,
  fadingCurves,
  formatLoss,
  isFlat,
  log10Values,
  lossSeries,
  needsLogScale,
} from "./model.js";

function frame(index, overrides = {}) {
  return {
    index,
    kind: index === 0 ? "initial" : "epoch",
    epoch: index,
    step: index * 40,
    loss: 40 / (index + 1),
    running_loss: index === 0 ? null : 42 / (index + 1),
    curve: [index, index + 1, index + 2],
    diverged: false,
    ...overrides,
  };
}

const BASE = { learningRate: 0.003, defaultRate: 0.003, stepsPerEpoch: 40 };

describe("lossSeries", () => {
  it("puts frames on an epoch axis up to the current one", () => {
    const frames = [frame(0), frame(1), frame(2), frame(3)];
    const series = lossSeries(frames, 2, 40);
    expect(series.xs).toEqual([0, 1, 2]);
    expect(series.loss).toEqual([40, 20, 40 / 3]);
    expect(series.runningLoss).toEqual([null, 21, 14]);
  });

  it("places step frames between epochs", () => {
    const frames = [frame(0), frame(1, { kind: "step", epoch: 1, step: 10 })];
    expect(lossSeries(frames, 1, 40).xs).toEqual([0, 0.25]);
  });
});

describe("fadingCurves", () => {
  it("lists earlier curves oldest first, fading with age", () => {
    const frames = [frame(0), frame(1), frame(2), frame(3)];
    const curves = fadingCurves(frames, 3);
    expect(curves.map((item) => item.curve)).toEqual([frames[0].curve, frames[1].curve, frames[2].curve]);
    expect(curves[0].alpha).toBeLessThan(curves[2].alpha);
  });

  it("leaves out curves too faint to see", () => {
    const frames = Array.from({ length: 200 }, (_, index) => frame(index));
    const curves = fadingCurves(frames, 199);
    expect(curves.length).toBeLessThan(40);
    expect(curves.at(-1).curve).toEqual(frames[198].curve);
  });

  it("gives nothing for the first frame", () => {
    expect(fadingCurves([frame(0)], 0)).toEqual([]);
  });
});

describe("log scale helpers", () => {
  it("takes base-10 logs and drops what has none", () => {
    expect(log10Values([100, 0.01, null, 0, -3])).toEqual([2, -2, null, null, null]);
  });

  it("switches to a log scale for a divergence or a huge loss", () => {
    expect(needsLogScale(frame(1))).toBe(false);
    expect(needsLogScale(frame(1, { diverged: true }))).toBe(true);
    expect(needsLogScale(frame(1, { loss: 1e94 }))).toBe(true);
    expect(needsLogScale(frame(1, { loss: null }))).toBe(true);
  });
});

describe("formatLoss", () => {
  it("writes a missing value as overflow", () => {
    expect(formatLoss(null)).toBe("overflow");
  });

  it("uses exponents for very large and very small losses", () => {
    expect(formatLoss(2.5e233)).toBe("2.50e+233");
    expect(formatLoss(0.1718)).toBe("0.1718");
  });
});

describe("isFlat", () => {
  it("tells a flat line from a curve", () => {
    expect(isFlat([4.1, 4.2, 4.15])).toBe(true);
    expect(isFlat([0, 5, 17])).toBe(false);
    expect(isFlat([1, null, 1])).toBe(false);
  });
});

describe("describeOutcome", () => {
  it("names the epoch and step of a divergence and a lower rate", () => {
    const outcome = describeOutcome({
      ...BASE,
      learningRate: 10,
      firstFrame: frame(0),
      lastFrame: frame(5, { kind: "step", epoch: 2, step: 45, loss: null, diverged: true }),
    });
    expect(outcome.level).toBe("error");
    expect(outcome.text).toContain("diverged in epoch 2, at step 5 of that epoch");
    expect(outcome.text).toContain("try 0.003");
    expect(outcome.suggestedRate).toBe(0.003);
  });

  it("says a tiny rate barely moved the loss", () => {
    const outcome = describeOutcome({
      ...BASE,
      learningRate: 1e-7,
      firstFrame: frame(0, { loss: 38 }),
      lastFrame: frame(100, { loss: 36 }),
    });
    expect(outcome.level).toBe("warning");
    expect(outcome.text).toContain("barely moved");
    expect(outcome.suggestedRate).toBe(0.003);
  });

  it("explains a flat line after large steps", () => {
    const outcome = describeOutcome({
      ...BASE,
      learningRate: 0.3,
      firstFrame: frame(0, { loss: 38 }),
      lastFrame: frame(100, { loss: 21.6, curve: [4.2, 4.2, 4.2] }),
    });
    expect(outcome.text).toContain("flat line");
  });

  it("reports a loss that grew without overflowing", () => {
    const outcome = describeOutcome({
      ...BASE,
      learningRate: 1,
      firstFrame: frame(0, { loss: 38 }),
      lastFrame: frame(100, { loss: 9e94 }),
    });
    expect(outcome.level).toBe("error");
    expect(outcome.text).toContain("grew");
  });

  it("reports a good fit without a suggestion", () => {
    const outcome = describeOutcome({
      ...BASE,
      firstFrame: frame(0, { loss: 38 }),
      lastFrame: frame(100, { loss: 0.17 }),
    });
    expect(outcome.level).toBe("info");
    expect(outcome.text).toContain("fell from 38 to 0.17");
    expect(outcome.suggestedRate).toBeNull();
  });
});

describe("curve view helpers", () => {
  it("pads the y range around the target curve", () => {
    expect(yDomain([-0.5, 17.5])).toEqual([-3, 20]);
  });

  it("makes round ticks", () => {
    expect(ticks(-3, 20, 5)).toEqual([0, 5, 10, 15, 20]);
  });

  it("notes a curve that cannot be drawn", () => {
    expect(offChartNote([null, null], 0, 10)).toContain("no longer a number");
    expect(offChartNote([1e59, 2e59], 0, 10)).toContain("off the chart");
    expect(offChartNote([1, 1e59], 0, 10)).toBeNull();
  });
});
