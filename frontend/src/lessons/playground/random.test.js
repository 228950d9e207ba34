import { describe, expect, it } from "vitest";
import { createRandom } from "./random.js";

function draw(random, count) {
  return Array.from({ length: count }, () => random.next());
}

describe("createRandom", () => {
  it("repeats a sequence for the same seed and stream", () => {
    expect(draw(createRandom(42, "data"), 20)).toEqual(draw(createRandom(42, "data"), 20));
  });

  it("gives different sequences for other seeds or streams", () => {
    const reference = draw(createRandom(42, "data"), 5);
    expect(draw(createRandom(43, "data"), 5)).not.toEqual(reference);
    expect(draw(createRandom(42, "weights"), 5)).not.toEqual(reference);
  });

  it("draws uniform values in [0, 1)", () => {
    const values = draw(createRandom(7), 20000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    const numLow = values.filter((value) => value < 0.1).length;
    expect(numLow / values.length).toBeGreaterThan(0.09);
    expect(numLow / values.length).toBeLessThan(0.11);
  });

  it("draws normal values with the requested mean and spread", () => {
    const random = createRandom(9);
    const values = Array.from({ length: 20000 }, () => random.normal(3, 2));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
    expect(mean).toBeCloseTo(3, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(2, 1);
  });

  it("shuffles into a permutation", () => {
    const items = Array.from({ length: 50 }, (_, index) => index);
    const shuffled = createRandom(1).shuffle(items.slice());
    expect(shuffled).not.toEqual(items);
    expect(shuffled.slice().sort((a, b) => a - b)).toEqual(items);
  });

  it("rejects a seed that is not a non-negative integer", () => {
    expect(() => createRandom(1.5)).toThrow(/non-negative integer, got 1.5/);
    expect(() => createRandom(-1)).toThrow(/non-negative integer/);
  });
});
