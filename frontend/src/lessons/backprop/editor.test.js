import { describe, expect, it } from "vitest";
import { pointAt, syncLeaves } from "./editor.js";

describe("pointAt", () => {
  it("points under a column of the first line", () => {
    expect(pointAt("x + (y", 6)).toBe("x + (y\n      ^");
  });

  it("points into a later line", () => {
    expect(pointAt("h = x*w\nloss = h + * 2", 19)).toBe("loss = h + * 2\n           ^");
  });
});

describe("syncLeaves", () => {
  it("keeps known leaves and adds new ones as inputs of value 1", () => {
    const current = { w: { value: 0.5, role: "trainable" }, old: { value: 2, role: "input" } };
    expect(syncLeaves(["x", "w"], current)).toEqual({
      x: { value: 1, role: "input" },
      w: { value: 0.5, role: "trainable" },
    });
  });
});
