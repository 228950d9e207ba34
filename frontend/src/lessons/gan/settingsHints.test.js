import { describe, expect, it } from "vitest";
import { describeAllowedValues, emptyFieldPlaceholder, fullBatchCount } from "./settingsHints.js";

describe("full batches", () => {
  it("skips the last incomplete batch", () => {
    expect(fullBatchCount(512)).toBe(117);
    expect(fullBatchCount(1024)).toBe(58);
    expect(fullBatchCount(16)).toBe(3750);
  });

  it("returns null for a batch size that is not a positive integer", () => {
    expect(fullBatchCount(0)).toBeNull();
    expect(fullBatchCount(12.5)).toBeNull();
    expect(fullBatchCount(null)).toBeNull();
  });
});

describe("empty field placeholder", () => {
  it("counts the batches of the chosen batch size", () => {
    expect(emptyFieldPlaceholder("batches_per_epoch", { batch_size: 512 })).toBe("all 117");
    expect(emptyFieldPlaceholder("batches_per_epoch", { batch_size: 32 })).toBe("all 1,875");
  });

  it("stays true while the batch size is invalid", () => {
    expect(emptyFieldPlaceholder("batches_per_epoch", { batch_size: Number.NaN })).toBe("all full batches");
  });

  it("names the whole test set for test batches", () => {
    expect(emptyFieldPlaceholder("test_batches", {})).toBe("all 10,000 test images");
  });

  it("returns null for a field that is never empty", () => {
    expect(emptyFieldPlaceholder("epochs", { batch_size: 512 })).toBeNull();
  });
});

describe("allowed values", () => {
  it("gives the range with thousands separators", () => {
    expect(describeAllowedValues({ minimum: 0, maximum: 2147483647, nullable: false })).toBe("0 to 2,147,483,647");
  });

  it("adds that an optional field may stay empty", () => {
    expect(describeAllowedValues({ minimum: 1, maximum: 10000, nullable: true })).toBe("1 to 10,000, or empty");
  });

  it("returns null without both bounds", () => {
    expect(describeAllowedValues({ minimum: 1, maximum: null, nullable: false })).toBeNull();
  });
});
