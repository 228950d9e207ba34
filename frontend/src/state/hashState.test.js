import { describe, expect, it } from "vitest";
import { encodeHash, findInvalidHashKeys, readHashValues } from "./hashState.js";
import { describeFields } from "./schemaFields.js";

const SCHEMA = {
  properties: {
    dataset: { enum: ["linear", "xor"], type: "string", default: "linear" },
    data_std: {
      anyOf: [{ type: "number", minimum: 0.1, maximum: 1 }, { type: "null" }],
      default: null,
    },
    epochs: { type: "integer", minimum: 1, maximum: 1000, default: 3 },
    bias: { anyOf: [{ type: "boolean" }, { type: "null" }], default: null },
    learning_rate: { type: "number", minimum: 0.0001, maximum: 1, default: 0.001 },
  },
};
const FIELDS = describeFields(SCHEMA);

describe("URL hash state", () => {
  it("round-trips typed values", () => {
    const values = { dataset: "xor", data_std: 0.3, epochs: 12, bias: false, learning_rate: 0.01 };
    expect(readHashValues(FIELDS, encodeHash(values))).toEqual(values);
  });

  it("ignores unknown keys and out-of-range values", () => {
    const values = readHashValues(FIELDS, "#epochs=5000&learning_rate=abc&color=red&dataset=xor");
    expect(values).toEqual({ dataset: "xor" });
  });

  it("rejects a fractional integer and an unknown option", () => {
    expect(readHashValues(FIELDS, "#epochs=2.5&dataset=circle")).toEqual({});
  });

  it("leaves nulls out of the hash", () => {
    expect(encodeHash({ data_std: null, epochs: 3 })).toBe("#epochs=3");
  });

  it("reads an empty value of a nullable field as null", () => {
    expect(readHashValues(FIELDS, "#data_std=&bias=")).toEqual({ data_std: null, bias: null });
  });
});

describe("findInvalidHashKeys", () => {
  it("lists fields whose link value cannot be used", () => {
    expect(findInvalidHashKeys(FIELDS, "#epochs=5000&learning_rate=abc&color=red&dataset=xor")).toEqual([
      "epochs",
      "learning_rate",
    ]);
  });

  it("is empty for a valid link", () => {
    expect(findInvalidHashKeys(FIELDS, "#epochs=5&dataset=xor")).toEqual([]);
  });
});
