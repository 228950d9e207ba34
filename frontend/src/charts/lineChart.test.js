import { describe, expect, it } from "vitest";
import { positiveOnly } from "./lineChart.js";

describe("positiveOnly", () => {
  it("keeps x and drops values a log axis cannot show", () => {
    const [xs, ys] = positiveOnly([[1, 2, 3, 4], [0.5, 0, -1, Number.NaN]]);
    expect(xs).toEqual([1, 2, 3, 4]);
    expect(ys).toEqual([0.5, null, null, null]);
  });

  it("keeps null gaps as null", () => {
    const [, ys] = positiveOnly([[1, 2], [null, 3]]);
    expect(ys).toEqual([null, 3]);
  });
});
