import { describe, expect, it } from "vitest";
import { decodeLessonHash, encodeLessonHash } from "./hash.js";

describe("lesson hash", () => {
  it("round-trips the expression, leaves and learning rate", () => {
    const state = {
      expression: "h1 = x1*w1 + b1\nloss = (h1 - y)^2",
      leaves: {
        x1: { value: 1.5, role: "input" },
        w1: { value: -0.5, role: "trainable" },
        b1: { value: 2, role: "trainable" },
        y: { value: 5.4, role: "target" },
      },
      learningRate: 0.01,
    };
    expect(decodeLessonHash(encodeLessonHash(state))).toEqual(state);
  });

  it("keeps an empty learning rate as no update", () => {
    const state = { expression: "x*x", leaves: { x: { value: 3, role: "input" } }, learningRate: null };
    expect(encodeLessonHash(state)).toContain("lr=none");
    expect(decodeLessonHash(encodeLessonHash(state)).learningRate).toBeNull();
  });

  it("returns null without an expression", () => {
    expect(decodeLessonHash("")).toBeNull();
    expect(decodeLessonHash("#lr=0.1")).toBeNull();
  });

  it("skips unreadable leaves and rates", () => {
    const decoded = decodeLessonHash("#expression=a*b&leaves=a:1:input,b:x:input,c:2:weight&lr=fast");
    expect(decoded.leaves).toEqual({ a: { value: 1, role: "input" } });
    expect(decoded.learningRate).toBeUndefined();
  });
});
