import { describe, expect, it } from "vitest";
import { divergingRgb } from "./palette.js";

describe("divergingRgb", () => {
  it("maps the ends and the middle of the scale", () => {
    expect(divergingRgb(-1)).toEqual([44, 123, 182]);
    expect(divergingRgb(0)).toEqual([247, 247, 247]);
    expect(divergingRgb(1)).toEqual([230, 97, 1]);
  });

  it("clamps values outside [-1, 1]", () => {
    expect(divergingRgb(-5)).toEqual(divergingRgb(-1));
    expect(divergingRgb(7)).toEqual(divergingRgb(1));
  });

  it("shows NaN as mid grey", () => {
    expect(divergingRgb(Number.NaN)).toEqual([128, 128, 128]);
  });
});
