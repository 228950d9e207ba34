import { describe, expect, it } from "vitest";
import { expressionProblem, pointAt } from "./editor.js";

describe("pointAt", () => {
  it("points under a column of the first line", () => {
    expect(pointAt("x + (y", 6)).toBe("x + (y\n      ^");
  });

  it("points into a later line", () => {
    expect(pointAt("h = x*w\nloss = h + * 2", 19)).toBe("loss = h + * 2\n           ^");
  });
});

describe("expressionProblem", () => {
  it("asks for an expression when there is only whitespace", () => {
    for (const source of ["", "   ", "\n\t "]) {
      expect(expressionProblem(source)).toMatch(/^Type an expression first, for example /);
    }
  });

  it("accepts any other text and leaves the parsing to the server", () => {
    expect(expressionProblem("loss = x")).toBe("");
    expect(expressionProblem("loss = (")).toBe("");
  });
});
