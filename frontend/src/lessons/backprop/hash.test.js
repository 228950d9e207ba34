import { describe, expect, it } from "vitest";
import { decodeLessonHash, encodeLessonHash, DEFAULT_LEAF } from "./hash.js";

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
    expect(decodeLessonHash(encodeLessonHash(state))).toEqual({ ...state, problems: [] });
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

  it("has no problems for a link it wrote itself", () => {
    const state = { expression: "x*x", leaves: { x: { value: 1e-200, role: "input" } }, learningRate: 0.5 };
    const decoded = decodeLessonHash(encodeLessonHash(state));
    expect(decoded.problems).toEqual([]);
    expect(decoded.leaves.x.value).toBe(1e-200);
  });

  it.each(["1e400", "abc", "", "Infinity", "NaN"])(
    "keeps a leaf whose value %j is invalid, at the fallback value",
    (valueText) => {
      const decoded = decodeLessonHash(`#expression=x*w&leaves=x:${valueText}:input,w:2:trainable`);
      expect(decoded.leaves).toEqual({
        x: { value: DEFAULT_LEAF.value, role: "input" },
        w: { value: 2, role: "trainable" },
      });
      expect(decoded.problems).toHaveLength(1);
      expect(decoded.problems[0]).toContain(`gives x the value "${valueText}"`);
      expect(decoded.problems[0]).toContain("x starts at 1 instead");
    },
  );

  it("keeps a leaf whose role is invalid, as an input", () => {
    const decoded = decodeLessonHash("#expression=a*b&leaves=a:1:input,b:2:weight");
    expect(decoded.leaves.b).toEqual({ value: 2, role: "input" });
    expect(decoded.problems).toEqual([
      'The link gives b the role "weight", which is not input, target or trainable, ' +
        "so b is an input instead.",
    ]);
  });

  it("skips an entry without a valid name", () => {
    const decoded = decodeLessonHash("#expression=a*2&leaves=a:1:input,1x:2:input");
    expect(decoded.leaves).toEqual({ a: { value: 1, role: "input" } });
    expect(decoded.problems[0]).toContain('"1x:2:input"');
  });

  it("leaves an unreadable rate undefined and says so", () => {
    const decoded = decodeLessonHash("#expression=a*b&leaves=a:1:input,b:2:input&lr=fast");
    expect(decoded.learningRate).toBeUndefined();
    expect(decoded.problems).toEqual([
      'The link\'s learning rate "fast" is not a number, so the default is used.',
    ]);
  });
});
