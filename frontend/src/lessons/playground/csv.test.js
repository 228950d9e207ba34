import { describe, expect, it } from "vitest";
import { formatHistoryCsv, formatPointsCsv, parsePointsCsv } from "./csv.js";
import { generateData } from "./datasets.js";
import { createRandom } from "./random.js";

const OPTIONS = { problem: "classification", trainPercent: 50, random: createRandom(1) };

describe("points CSV", () => {
  it("round-trips generated data exactly", () => {
    for (const [name, problem] of [
      ["spiral", "classification"],
      ["multiGauss", "regression"],
    ]) {
      const data = generateData({ name, noise: 25, trainPercent: 70, seed: 5 });
      const parsed = parsePointsCsv(formatPointsCsv(data), { ...OPTIONS, problem });
      expect(parsed).toEqual(data);
    }
  });

  it("splits rows without a set by the training percentage", () => {
    const rows = Array.from({ length: 40 }, (_, index) => `${index / 10},1,${index % 2 ? 1 : -1}`);
    const parsed = parsePointsCsv(`x1,x2,label\n${rows.join("\n")}\n`, {
      ...OPTIONS,
      trainPercent: 30,
    });
    expect(parsed.train).toHaveLength(12);
    expect(parsed.test).toHaveLength(28);
  });

  it("accepts reordered columns, spaces and Windows line ends", () => {
    const parsed = parsePointsCsv("label, X2 ,x1,set\r\n-1, 2.5,-3,test\r\n1,0,0,train\r\n", OPTIONS);
    expect(parsed.test).toEqual([{ x1: -3, x2: 2.5, label: -1 }]);
    expect(parsed.train).toEqual([{ x1: 0, x2: 0, label: 1 }]);
  });

  const failures = [
    ["", /empty/],
    ["a,b,c\n1,2,1", /Line 1: .* missing x1, x2, label/],
    ["x1,x2,label\n1,2", /Line 2: expected 3 values, found 2/],
    ["x1,x2,label\n1,abc,1", /Line 2: x2 "abc" is not a number/],
    ["x1,x2,label\n1,2,1\n7,0,1", /Line 3: x1 = 7 is outside the domain -6 to 6/],
    ["x1,x2,label\n1,2,0.5", /Line 2: label 0.5 is invalid for classification/],
    ["x1,x2,label,set\n1,2,1,validation", /Line 2: set "validation" is invalid/],
    ["x1,x2,label,set\n1,2,1,test", /no training points/],
  ];
  for (const [text, message] of failures) {
    it(`rejects ${JSON.stringify(text.slice(0, 30))}`, () => {
      expect(() => parsePointsCsv(text, OPTIONS)).toThrow(message);
    });
  }

  it("checks regression labels against [-1, 1]", () => {
    expect(() => parsePointsCsv("x1,x2,label\n0,0,1.5", { ...OPTIONS, problem: "regression" })).toThrow(
      /outside -1 to 1/,
    );
    const parsed = parsePointsCsv("x1,x2,label,set\n0,0,-0.25,train", {
      ...OPTIONS,
      problem: "regression",
    });
    expect(parsed.train).toEqual([{ x1: 0, x2: 0, label: -0.25 }]);
  });
});

describe("history CSV", () => {
  it("writes one row per epoch with every run's metrics", () => {
    const histories = [
      [
        { epoch: 0, trainLoss: 0.5, testLoss: 0.6, trainAccuracy: 0.5, testAccuracy: 0.4 },
        { epoch: 1, trainLoss: 0.25, testLoss: 0.3, trainAccuracy: 0.75, testAccuracy: 0.7 },
      ],
      [{ epoch: 0, trainLoss: 0.4, testLoss: Number.NaN, trainAccuracy: 0.6, testAccuracy: null }],
    ];
    const text = formatHistoryCsv(histories, ["A", "B"], "classification");
    expect(text.split("\n")).toEqual([
      "epoch,A_trainLoss,A_testLoss,A_trainAccuracy,A_testAccuracy," +
        "B_trainLoss,B_testLoss,B_trainAccuracy,B_testAccuracy",
      "0,0.5,0.6,0.5,0.4,0.4,,0.6,",
      "1,0.25,0.3,0.75,0.7,,,,",
      "",
    ]);
  });

  it("leaves accuracy out for regression", () => {
    const text = formatHistoryCsv([[{ epoch: 0, trainLoss: 1, testLoss: 2 }]], ["A"], "regression");
    expect(text).toBe("epoch,A_trainLoss,A_testLoss\n0,1,2\n");
  });
});
