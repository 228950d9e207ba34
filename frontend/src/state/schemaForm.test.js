import { describe, expect, it } from "vitest";
import { sliderPosition, sliderValue, sliderValueKeepingExact } from "./schemaForm.js";

const LOG_FIELD = { minimum: 1e-4, maximum: 1, scale: "log" };
const LINEAR_FIELD = { minimum: 0.1, maximum: 1, scale: "linear" };

describe("slider mapping", () => {
  it("puts a log field's decades at equal distances", () => {
    expect(sliderPosition(LOG_FIELD, 1e-4)).toBe(0);
    expect(sliderPosition(LOG_FIELD, 1e-2)).toBe(500);
    expect(sliderPosition(LOG_FIELD, 1)).toBe(1000);
  });

  it("maps positions back to values within the range", () => {
    expect(sliderValue(LOG_FIELD, 0)).toBeCloseTo(1e-4, 10);
    expect(sliderValue(LOG_FIELD, 750)).toBeCloseTo(0.1, 10);
    expect(sliderValue(LINEAR_FIELD, 1000)).toBe(1);
    expect(sliderValue(LINEAR_FIELD, 500)).toBeCloseTo(0.55, 10);
  });

  it("round-trips a default value through the slider", () => {
    const position = sliderPosition(LOG_FIELD, 1e-3);
    expect(sliderValue(LOG_FIELD, position)).toBeCloseTo(1e-3, 10);
  });
});

describe("sliderValueKeepingExact", () => {
  const WIDE_LOG_FIELD = { minimum: 1e-7, maximum: 10, scale: "log" };

  it("keeps a value set off the slider's grid while the slider stays put", () => {
    const position = sliderPosition(WIDE_LOG_FIELD, 0.003);
    expect(sliderValue(WIDE_LOG_FIELD, position)).not.toBe(0.003);
    expect(sliderValueKeepingExact(WIDE_LOG_FIELD, position, "0.003")).toBe(0.003);
  });

  it("follows the slider once it moves", () => {
    const position = sliderPosition(WIDE_LOG_FIELD, 0.003) + 1;
    expect(sliderValueKeepingExact(WIDE_LOG_FIELD, position, "0.003")).toBe(
      sliderValue(WIDE_LOG_FIELD, position),
    );
    expect(sliderValueKeepingExact(WIDE_LOG_FIELD, 0, undefined)).toBe(1e-7);
  });
});
