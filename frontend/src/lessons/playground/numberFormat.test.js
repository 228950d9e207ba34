import { describe, expect, it } from "vitest";
import { formatLoss } from "./numberFormat.js";

describe("formatLoss", () => {
  it("shows three significant digits in the usual range", () => {
    expect(formatLoss(0.50234)).toBe("0.502");
    expect(formatLoss(0.0123456)).toBe("0.0123");
    expect(formatLoss(12.345)).toBe("12.3");
    expect(formatLoss(1.5)).toBe("1.50");
  });

  it("switches to exponents for a diverged loss", () => {
    expect(formatLoss(4.944242175472082e227)).toBe("4.94e+227");
    expect(formatLoss(5e227)).toBe("5e+227");
    expect(formatLoss(123456)).toBe("1.23e+5");
  });

  it("switches to exponents for tiny losses", () => {
    expect(formatLoss(1.234e-7)).toBe("1.23e-7");
    expect(formatLoss(0.0009)).toBe("9e-4");
  });

  it("keeps whole numbers below ten thousand", () => {
    expect(formatLoss(1234.4)).toBe("1234");
    expect(formatLoss(9999.4)).toBe("9999");
  });

  it("takes the number of digits", () => {
    expect(formatLoss(0.123456, 4)).toBe("0.1235");
    expect(formatLoss(4.944242175472082e227, 4)).toBe("4.944e+227");
  });

  it("shows zero, missing and non-finite values plainly", () => {
    expect(formatLoss(0)).toBe("0");
    expect(formatLoss(null)).toBe("-");
    expect(formatLoss(undefined)).toBe("-");
    expect(formatLoss(Number.NaN)).toBe("-");
    expect(formatLoss(Number.POSITIVE_INFINITY)).toBe("-");
  });

  it("never prints more than 9 characters for any finite loss", () => {
    for (const value of [1e-300, 3.3e-5, 0.5, 77.7, 9999, 1e4, 6.02e23, 1.7976931348623157e308]) {
      expect(formatLoss(value).length).toBeLessThanOrEqual(9);
    }
  });
});
