import { describe, expect, it } from "vitest";
import {
  accuracy,
  activation,
  featureVector,
  formatActivation,
  predictClass,
  runButtonLabel,
  weightColor,
} from "./model.js";

describe("perceptron model", () => {
  it("orders features as the server names them", () => {
    expect(featureVector(["bias", "x1", "x2", "x1*x2"], 2, -3)).toEqual([1, 2, -3, -6]);
  });

  it("predicts 0 at an activation of exactly 0", () => {
    expect(activation([0, 0], ["x1", "x2"], 1, 1)).toBe(0);
    expect(predictClass([0, 0], ["x1", "x2"], 1, 1)).toBe(0);
  });

  it("separates XOR with the x1*x2 feature and no bias", () => {
    const names = ["x1", "x2", "x1*x2"];
    const weights = [0, 0, -1];
    const points = [
      { x1: -1, x2: -1, label: 0 },
      { x1: 1, x2: 1, label: 0 },
      { x1: 1, x2: -1, label: 1 },
      { x1: -1, x2: 1, label: 1 },
    ];
    expect(accuracy(weights, names, points)).toBe(1);
  });

  it("rejects an unknown feature name", () => {
    expect(() => featureVector(["x3"], 0, 0)).toThrow(/x3/);
  });

  it("writes the activation as a formula", () => {
    expect(formatActivation([0.5, -0.25], ["bias", "x1"])).toBe("0.500 - 0.250·x1");
  });
});

describe("weightColor", () => {
  it("keeps each weight's colour with or without the bias", () => {
    const withBias = ["bias", "x1", "x2"].map(weightColor);
    const withoutBias = ["x1", "x2"].map(weightColor);
    expect(withoutBias).toEqual(withBias.slice(1));
  });

  it("gives every feature its own colour", () => {
    const colors = ["bias", "x1", "x2", "x1*x2"].map(weightColor);
    expect(new Set(colors).size).toBe(4);
  });
});

describe("runButtonLabel", () => {
  it("says Run before the first step", () => {
    expect(runButtonLabel("paused", true)).toBe("Run");
    expect(runButtonLabel("ready", false)).toBe("Run");
  });

  it("says Restart while a run is playing or paused", () => {
    expect(runButtonLabel("playing", false)).toBe("Restart");
    expect(runButtonLabel("paused", false)).toBe("Restart");
  });

  it("says Run again once a run has ended", () => {
    expect(runButtonLabel("finished", false)).toBe("Run again");
    expect(runButtonLabel("stopped", false)).toBe("Run again");
  });
});
