import { describe, expect, it } from "vitest";
import { isEdgeActive, viewAt } from "./replay.js";

const GRAPH = {
  num_steps: 4,
  nodes: [
    { id: "n0", value: 3, op: null },
    { id: "n1", value: null, op: "mul" },
  ],
};
const STEPS = new Map([
  [0, { type: "forward", step: 0, node: "n1", value: 9, operands: [3, 3] }],
  [1, { type: "backward", step: 1, node: "n1", grad: 1, terms: [] }],
  [
    2,
    {
      type: "backward",
      step: 2,
      node: "n0",
      grad: 6,
      terms: [
        { consumer: "n1", input_index: 0, upstream_grad: 1, local_derivative: 3, product: 3 },
        { consumer: "n1", input_index: 1, upstream_grad: 1, local_derivative: 3, product: 3 },
      ],
    },
  ],
  [3, { type: "update", step: 3, learning_rate: 0.1, weights: [], loss: 9, new_loss: 5.76 }],
]);

describe("viewAt", () => {
  it("knows only the leaves before the first step", () => {
    const view = viewAt(GRAPH, STEPS, -1);
    expect(view.values.get("n0")).toBe(3);
    expect(view.values.get("n1")).toBeNull();
    expect(view.grads.get("n0")).toBeNull();
    expect(view.phase).toBe("ready");
    expect(view.current).toBeNull();
  });

  it("fills in values, then gradients", () => {
    const forward = viewAt(GRAPH, STEPS, 0);
    expect(forward.values.get("n1")).toBe(9);
    expect(forward.grads.get("n1")).toBeNull();
    expect(forward.phase).toBe("forward");
    const backward = viewAt(GRAPH, STEPS, 2);
    expect(backward.grads.get("n0")).toBe(6);
    expect(backward.current.node).toBe("n0");
  });

  it("forgets later steps when the cursor moves back", () => {
    const view = viewAt(GRAPH, STEPS, 1);
    expect(view.grads.get("n0")).toBeNull();
    expect(view.update).toBeNull();
  });

  it("ends with the update step", () => {
    const view = viewAt(GRAPH, STEPS, 3);
    expect(view.update.new_loss).toBe(5.76);
    expect(view.phase).toBe("done");
  });
});

describe("isEdgeActive", () => {
  const first = { source: "n0", target: "n1", input_index: 0 };
  const second = { source: "n0", target: "n1", input_index: 1 };

  it("marks a forward step's input edges", () => {
    expect(isEdgeActive(first, STEPS.get(0))).toBe(true);
  });

  it("marks each edge a backward step sends gradient along", () => {
    expect(isEdgeActive(first, STEPS.get(2))).toBe(true);
    expect(isEdgeActive(second, STEPS.get(2))).toBe(true);
    expect(isEdgeActive(first, STEPS.get(1))).toBe(false);
  });

  it("marks nothing before the first step", () => {
    expect(isEdgeActive(first, null)).toBe(false);
  });
});
