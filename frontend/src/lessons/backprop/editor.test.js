import { describe, expect, it } from "vitest";
import { pointAt } from "./editor.js";

describe("pointAt", () => {
  it("points under a column of the first line", () => {
    expect(pointAt("x + (y", 6)).toBe("x + (y\n      ^");
  });

  it("points into a later line", () => {
    expect(pointAt("h = x*w\nloss = h + * 2", 19)).toBe("loss = h + * 2\n           ^");
  });
});
