import { describe, expect, it } from "vitest";
import { offChartNote, ticks, yDomain } from "./curveView.js";
import {
  describeOutcome,
  fadingCurves,
  formatLoss,
  isFlat,
  log10Values,
  lossAxis,
  lossSeries,
  needsLogScale,
  zeroGradientLayers,
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

const DEFAULTS = { learning_rate: 0.003, hidden_units_1: 16, hidden_units_2: 8, epochs: 100, seed: 0 };
const FLAT_CURVE = [21.6, 21.6, 21.6];
const BENT_CURVE = [0, 5, 17];

/**
 * Returns the frames of a finished run as the outcome needs them: the initial
 * frame, the first epoch frame with `firstNorms` and the last frame.
 */
function runFrames({ firstLoss, firstNorms, last }) {
  return [
    frame(0, { loss: firstLoss }),
    frame(1, { loss: firstLoss * 0.9, gradient_norms: firstNorms }),
    frame(2, { epoch: 100, step: 4000, curve: BENT_CURVE, ...last }),
  ];
}

function outcomeOf(frames, params = {}) {
  return describeOutcome({
    frames,
    params: { ...DEFAULTS, ...params },
    defaults: DEFAULTS,
    stepsPerEpoch: 40,
  });
}

describe("lossSeries", () => {
  it("puts frames on an epoch axis up to the current one", () => {
    const frames = [frame(0), frame(1), frame(2), frame(3)];
    const series = lossSeries(frames, 2, { unit: "epoch", stepsPerEpoch: 40 });
    expect(series.xs).toEqual([0, 1, 2]);
    expect(series.loss).toEqual([40, 20, 40 / 3]);
    expect(series.runningLoss).toEqual([null, 21, 14]);
  });

  it("counts updates on an update axis", () => {
    const frames = [frame(0), frame(1), frame(2, { kind: "step", epoch: 3, step: 81 })];
    expect(lossSeries(frames, 2, { unit: "update", stepsPerEpoch: 40 }).xs).toEqual([0, 40, 81]);
  });
});

describe("lossAxis", () => {
  it("counts epochs for a run of whole epochs", () => {
    expect(lossAxis([frame(0), frame(1)], 40)).toEqual({ unit: "epoch", label: "epoch" });
  });

  it("counts updates once the run has step frames", () => {
    const frames = [frame(0), frame(1, { kind: "step", epoch: 1, step: 1 })];
    expect(lossAxis(frames, 40)).toEqual({ unit: "update", label: "update (40 per epoch)" });
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

describe("zeroGradientLayers", () => {
  it("lists hidden-side layers whose gradient norm is zero", () => {
    expect(zeroGradientLayers(frame(1, { gradient_norms: [0, 0, 1.09] }))).toEqual([1, 2]);
    expect(zeroGradientLayers(frame(1, { gradient_norms: [0, 0.4, 1.09] }))).toEqual([1]);
    expect(zeroGradientLayers(frame(1, { gradient_norms: [1.4, 4.2, 1.07] }))).toEqual([]);
  });

  it("leaves out the output layer and missing norms", () => {
    expect(zeroGradientLayers(frame(1, { gradient_norms: [1.4, 4.2, 0] }))).toEqual([]);
    expect(zeroGradientLayers(frame(1, { gradient_norms: [null, null, 3e117] }))).toEqual([]);
    expect(zeroGradientLayers(frame(0))).toEqual([]);
  });
});

describe("describeOutcome", () => {
  it("names the epoch and step of a divergence and a lower rate", () => {
    const frames = [
      frame(0, { loss: 38 }),
      ...[1, 2, 3, 4].map((step) => frame(step, { kind: "step", epoch: 1, step, loss: 10 ** (step * 50) })),
      frame(5, { kind: "step", epoch: 1, step: 5, loss: null, diverged: true, gradient_norms: [null, null, 3e117] }),
    ];
    const outcome = outcomeOf(frames, { learning_rate: 10 });
    expect(outcome.level).toBe("error");
    expect(outcome.text).toContain("diverged in epoch 1, at step 5 of that epoch");
    expect(outcome.text).toContain("try 0.003");
    expect(outcome.suggestion).toEqual({ params: { learning_rate: 0.003 }, label: "Run with rate 0.003" });
  });

  it("blames blocked gradients, not the rate, with 1 and 1 hidden units", () => {
    // Seed 0 with 1 and 1 hidden units: no gradient reaches layer 1 from the first epoch on.
    const frames = runFrames({
      firstLoss: 38.8,
      firstNorms: [0, 0, 7.39],
      last: { loss: 21.62, gradient_norms: [0, 0, 1.09], curve: FLAT_CURVE },
    });
    const outcome = outcomeOf(frames, { hidden_units_1: 1, hidden_units_2: 1 });
    expect(outcome.level).toBe("warning");
    expect(outcome.text).toContain("flat line (loss 21.62, from 38.8 at the start)");
    expect(outcome.text).toContain("gradient norm of layers 1 and 2 is 0");
    expect(outcome.text).toContain("the learning rate is not the cause");
    expect(outcome.text).not.toContain("barely moved");
    expect(outcome.text).not.toContain("so small");
    expect(outcome.suggestion.params).toEqual({ hidden_units_1: 16, hidden_units_2: 8 });
    expect(outcome.suggestion.label).toBe("Run with 16 and 8 hidden units");
  });

  it("suggests another seed when default-sized units start blocked", () => {
    const frames = runFrames({
      firstLoss: 38.7,
      firstNorms: [0, 0, 7.1],
      last: { loss: 21.6, gradient_norms: [0, 0, 1.1], curve: FLAT_CURVE },
    });
    const outcome = outcomeOf(frames, { seed: 7 });
    expect(outcome.text).toContain("Another seed");
    expect(outcome.suggestion.params).toEqual({ seed: 8 });
  });

  it("blames a large rate for units it switched off", () => {
    // Rate 0.1, seed 0: huge first gradients, then a flat line.
    const frames = runFrames({
      firstLoss: 38.1,
      firstNorms: [3387, 2429, 4881],
      last: { loss: 21.62, gradient_norms: [0, 0, 1.19], curve: FLAT_CURVE },
    });
    const outcome = outcomeOf(frames, { learning_rate: 0.1 });
    expect(outcome.text).toContain("flat line");
    expect(outcome.text).toContain("early steps at rate 0.1 were so large");
    expect(outcome.suggestion.params).toEqual({ learning_rate: 0.003 });
  });

  it("explains units that switched off during training at a good rate", () => {
    // Seed 5 with 1 and 1 hidden units: the gradient reaches layer 1 at first, later not.
    const frames = runFrames({
      firstLoss: 41.4,
      firstNorms: [0.9, 3.1, 7.2],
      last: { loss: 22.5, gradient_norms: [0, 0, 1.3], curve: FLAT_CURVE },
    });
    const outcome = outcomeOf(frames, { hidden_units_1: 1, hidden_units_2: 1, seed: 5 });
    expect(outcome.text).toContain("switched off during training");
    expect(outcome.suggestion.params).toEqual({ hidden_units_1: 16, hidden_units_2: 8 });
  });

  it("says a tiny rate barely moved the loss and suggests a larger one", () => {
    const frames = runFrames({
      firstLoss: 38.1,
      firstNorms: [7.9, 30.5, 54.3],
      last: { loss: 36.57, gradient_norms: [7.7, 29.8, 53.1] },
    });
    const outcome = outcomeOf(frames, { learning_rate: 1e-7 });
    expect(outcome.level).toBe("warning");
    expect(outcome.text).toContain("barely moved, from 38.1 to 36.57");
    expect(outcome.suggestion.params.learning_rate).toBe(0.003);
  });

  it("never suggests a smaller rate for small steps", () => {
    const cases = [
      { rate: 1e-7, firstLoss: 38.1, lastLoss: 36.57 },
      { rate: 1e-6, firstLoss: 3.32, lastLoss: 2.39 },
      { rate: 1e-5, firstLoss: 3.32, lastLoss: 1.79 },
    ];
    for (const { rate, firstLoss, lastLoss } of cases) {
      const frames = runFrames({
        firstLoss,
        firstNorms: [3.2, 9.7, 9.0],
        last: { loss: lastLoss, gradient_norms: [3.1, 9.6, 8.9] },
      });
      const outcome = outcomeOf(frames, { learning_rate: rate });
      expect(outcome.suggestion.params.learning_rate).toBeGreaterThan(rate);
    }
  });

  it("treats a halved loss as a rough fit", () => {
    // Seed 4 with 1 and 1 hidden units: gradients flow, but the curve stays crude.
    const frames = runFrames({
      firstLoss: 36,
      firstNorms: [1.2, 0.5, 7.0],
      last: { loss: 20.4, gradient_norms: [0.97, 0.14, 1.24] },
    });
    const outcome = outcomeOf(frames, { hidden_units_1: 1, hidden_units_2: 1, seed: 4 });
    expect(outcome.text).toContain("fell from 36 to 20.4");
    expect(outcome.text).not.toContain("barely moved");
    expect(outcome.text).toContain("straight pieces");
    expect(outcome.suggestion.params).toEqual({ hidden_units_1: 16, hidden_units_2: 8 });
  });

  it("suggests the default rate when small steps leave a rough fit", () => {
    const frames = runFrames({
      firstLoss: 3.32,
      firstNorms: [3.2, 9.7, 9.0],
      last: { loss: 1.79, gradient_norms: [1.8, 4.1, 4.25] },
    });
    const outcome = outcomeOf(frames, { learning_rate: 1e-5, seed: 2 });
    expect(outcome.text).toContain("misses the bend");
    expect(outcome.text).not.toContain("barely moved");
    expect(outcome.suggestion.params).toEqual({ learning_rate: 0.003 });
  });

  it("suggests more epochs for a short run", () => {
    const frames = runFrames({
      firstLoss: 38.1,
      firstNorms: [2.7, 10.5, 10.0],
      last: { epoch: 10, step: 400, loss: 0.857, gradient_norms: [1.5, 7.8, 2.8] },
    });
    const outcome = outcomeOf(frames, { epochs: 10 });
    expect(outcome.text).toContain("10 epochs were not enough");
    expect(outcome.suggestion).toEqual({ params: { epochs: 100 }, label: "Run with 100 epochs" });
  });

  it("reports a loss that grew without overflowing", () => {
    const frames = runFrames({
      firstLoss: 38,
      firstNorms: [1e76, 9e77, 4e79],
      last: { loss: 9e94, gradient_norms: [2e40, 3e41, 6e47] },
    });
    const outcome = outcomeOf(frames, { learning_rate: 1 });
    expect(outcome.level).toBe("error");
    expect(outcome.text).toContain("grew");
    expect(outcome.suggestion.params).toEqual({ learning_rate: 0.003 });
  });

  it("reports a good fit without a suggestion", () => {
    const frames = runFrames({
      firstLoss: 38,
      firstNorms: [2.7, 10.5, 10.0],
      last: { loss: 0.17, gradient_norms: [1.44, 4.17, 1.07] },
    });
    const outcome = outcomeOf(frames);
    expect(outcome.level).toBe("info");
    expect(outcome.text).toContain("fell from 38 to 0.17");
    expect(outcome.suggestion).toBeNull();
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
