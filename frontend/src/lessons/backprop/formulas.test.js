import { describe, expect, it } from "vitest";
import {
  backwardText,
  formatValue,
  forwardText,
  isAtomic,
  localDerivativeText,
  opSymbol,
  weightChangeText,
  wrap,
} from "./formulas.js";

// The default example's graph, as the server sends it.
const NODES = [
  { id: "n0", label: "x1", role: "input", op: null, inputs: [] },
  { id: "n1", label: "w1", role: "trainable", op: null, inputs: [] },
  { id: "n2", label: "x1*w1", role: "intermediate", op: "mul", inputs: ["n0", "n1"] },
  { id: "n3", label: "b1", role: "trainable", op: null, inputs: [] },
  { id: "n4", label: "h1", role: "intermediate", op: "add", inputs: ["n2", "n3"] },
  { id: "n5", label: "w2", role: "trainable", op: null, inputs: [] },
  { id: "n6", label: "h1*w2", role: "intermediate", op: "mul", inputs: ["n4", "n5"] },
  { id: "n7", label: "b2", role: "trainable", op: null, inputs: [] },
  { id: "n8", label: "y_hat", role: "intermediate", op: "add", inputs: ["n6", "n7"] },
  { id: "n9", label: "y", role: "target", op: null, inputs: [] },
  { id: "n10", label: "y_hat - y", role: "intermediate", op: "sub", inputs: ["n8", "n9"] },
  { id: "n11", label: "loss", role: "loss", op: "pow", inputs: ["n10"], exponent: 2 },
];
const BY_ID = new Map(NODES.map((node) => [node.id, node]));

describe("formatValue", () => {
  it("hides float noise", () => {
    expect(formatValue(-9.037500000000001)).toBe("-9.0375");
    expect(formatValue(36.300625000000004)).toBe("36.300625");
  });

  it("writes unknown values as a question mark", () => {
    expect(formatValue(null)).toBe("?");
  });

  it("writes negative zero as 0", () => {
    expect(formatValue(-0)).toBe("0");
  });
});

describe("wrap", () => {
  it("leaves names, numbers and whole calls alone", () => {
    for (const label of ["h1", "y_hat", "2", "0.5", "relu(x*w + b)"]) {
      expect(isAtomic(label)).toBe(true);
      expect(wrap(label)).toBe(label);
    }
  });

  it("wraps sums, products and two calls joined by an operator", () => {
    expect(wrap("h1*w2")).toBe("(h1*w2)");
    expect(wrap("y_hat - y")).toBe("(y_hat - y)");
    expect(wrap("-2")).toBe("(-2)");
    expect(wrap("relu(a) + relu(b)")).toBe("(relu(a) + relu(b))");
  });
});

describe("log line", () => {
  it("writes a named forward step with its formula", () => {
    const event = { type: "forward", node: "n4", value: 2.75, operands: [0.75, 2] };
    expect(forwardText(event, BY_ID)).toBe("h1 = (x1*w1) + b1 = 0.75 + 2 = 2.75");
  });

  it("writes an unnamed forward step without repeating it", () => {
    const event = { type: "forward", node: "n2", value: 0.75, operands: [1.5, 0.5] };
    expect(forwardText(event, BY_ID)).toBe("x1*w1 = 1.5 * 0.5 = 0.75");
  });

  it("puts negative operands in parentheses", () => {
    const event = { type: "forward", node: "n8", value: -0.625, operands: [1.375, -2] };
    expect(forwardText(event, BY_ID)).toBe("y_hat = (h1*w2) + b2 = 1.375 + (-2) = -0.625");
  });

  it("writes a power with its exponent", () => {
    const event = { type: "forward", node: "n11", value: 36.300625, operands: [-6.025] };
    expect(forwardText(event, BY_ID)).toBe("loss = (y_hat - y)^2 = (-6.025)^2 = 36.300625");
  });

  it("writes the chain rule for w2 with the forward value of h1", () => {
    const event = {
      type: "backward",
      node: "n5",
      grad: -33.1375,
      terms: [
        { consumer: "n6", input_index: 1, upstream_grad: -12.05, local_derivative: 2.75, product: -33.1375 },
      ],
    };
    expect(backwardText(event, BY_ID)).toBe(
      "dL/dw2 = dL/d(h1*w2) * h1 = -12.05 * 2.75 = -33.1375",
    );
  });

  it("starts the backward pass at 1", () => {
    const event = { type: "backward", node: "n11", grad: 1, terms: [] };
    expect(backwardText(event, BY_ID)).toBe("dL/dloss = 1, because L is loss itself");
  });

  it("adds one term per use of a node", () => {
    const nodes = new Map([
      ["n0", { id: "n0", label: "a", op: null, inputs: [] }],
      ["n1", { id: "n1", label: "a + a", op: "add", inputs: ["n0", "n0"] }],
    ]);
    const event = {
      type: "backward",
      node: "n0",
      grad: 2,
      terms: [
        { consumer: "n1", input_index: 0, upstream_grad: 1, local_derivative: 1, product: 1 },
        { consumer: "n1", input_index: 1, upstream_grad: 1, local_derivative: 1, product: 1 },
      ],
    };
    expect(backwardText(event, nodes)).toBe(
      "dL/da = dL/d(a + a) * 1 + dL/d(a + a) * 1 = 1 * 1 + 1 * 1 = 2",
    );
  });

  it("writes the target's negative local derivative", () => {
    const event = {
      type: "backward",
      node: "n9",
      grad: 12.05,
      terms: [
        { consumer: "n10", input_index: 1, upstream_grad: -12.05, local_derivative: -1, product: 12.05 },
      ],
    };
    expect(backwardText(event, BY_ID)).toBe(
      "dL/dy = dL/d(y_hat - y) * (-1) = -12.05 * (-1) = 12.05",
    );
  });

  it("writes a weight change", () => {
    const change = { label: "w1", value: 0.5, grad: -9.0375, new_value: 0.590375 };
    expect(weightChangeText(change, 0.01)).toBe("w1 = 0.5 - 0.01 * (-9.0375) = 0.590375");
  });
});

describe("local derivatives", () => {
  const nodes = new Map([
    ["a", { id: "a", label: "a", op: null, inputs: [] }],
    ["b", { id: "b", label: "b", op: null, inputs: [] }],
  ]);
  const cases = [
    [{ op: "div", label: "a/b", inputs: ["a", "b"] }, 0, "1/b"],
    [{ op: "div", label: "a/b", inputs: ["a", "b"] }, 1, "(-a/b^2)"],
    [{ op: "pow", label: "a^3", inputs: ["a"], exponent: 3 }, 0, "3*a^2"],
    [{ op: "pow", label: "a^(-3)", inputs: ["a"], exponent: -3 }, 0, "(-3)*a^(-4)"],
    [{ op: "pow", label: "a^2", inputs: ["a"], exponent: 2 }, 0, "2*a"],
    [{ op: "relu", label: "relu(a)", inputs: ["a"] }, 0, "relu'(a)"],
    [{ op: "sigmoid", label: "sigmoid(a)", inputs: ["a"] }, 0, "sigmoid(a)*(1 - sigmoid(a))"],
    [{ op: "tanh", label: "tanh(a)", inputs: ["a"] }, 0, "(1 - tanh(a)^2)"],
    [{ op: "squared_error", label: "e", inputs: ["a", "b"] }, 1, "(-2*(a - b))"],
    [{ op: "neg", label: "-a", inputs: ["a"] }, 0, "(-1)"],
  ];
  for (const [consumer, inputIndex, expected] of cases) {
    it(`writes d${consumer.label}/d input ${inputIndex}`, () => {
      expect(localDerivativeText(consumer, inputIndex, nodes)).toBe(expected);
    });
  }
});

describe("opSymbol", () => {
  it("names each operation", () => {
    expect(opSymbol({ op: "mul" })).toBe("×");
    expect(opSymbol({ op: "pow", exponent: 2 })).toBe("^2");
    expect(opSymbol({ op: "pow", exponent: -1.5 })).toBe("^(-1.5)");
    expect(opSymbol({ op: "sigmoid" })).toBe("σ");
  });
});
