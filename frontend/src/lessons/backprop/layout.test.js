import { describe, expect, it } from "vitest";
import { cardLabel, layoutGraph, opNodeId } from "./layout.js";

const GRAPH = {
  nodes: [
    { id: "n0", label: "a", role: "trainable", op: null, inputs: [], is_loss_part: false },
    { id: "n1", label: "a + a", role: "intermediate", op: "add", inputs: ["n0", "n0"], is_loss_part: false },
    { id: "n2", label: "y", role: "target", op: null, inputs: [], is_loss_part: false },
    { id: "n3", label: "loss", role: "loss", op: "sub", inputs: ["n1", "n2"], is_loss_part: true },
  ],
  edges: [
    { source: "n0", target: "n1", input_index: 0, is_loss_part: false },
    { source: "n0", target: "n1", input_index: 1, is_loss_part: false },
    { source: "n1", target: "n3", input_index: 0, is_loss_part: true },
    { source: "n2", target: "n3", input_index: 1, is_loss_part: true },
  ],
};

describe("layoutGraph", () => {
  const laidOut = layoutGraph(GRAPH);
  const cardX = (id) => laidOut.cards.find((card) => card.node.id === id).x;
  const opX = (id) => laidOut.ops.find((op) => op.node.id === id).x;

  it("places every value node and one operation node per computed value", () => {
    expect(laidOut.cards.map((card) => card.node.id)).toEqual(["n0", "n1", "n2", "n3"]);
    expect(laidOut.ops.map((op) => op.node.id)).toEqual(["n1", "n3"]);
  });

  it("runs left to right with operations between their inputs and outputs", () => {
    expect(cardX("n0")).toBeLessThan(opX("n1"));
    expect(opX("n1")).toBeLessThan(cardX("n1"));
    expect(cardX("n1")).toBeLessThan(opX("n3"));
    expect(opX("n3")).toBeLessThan(cardX("n3"));
  });

  it("routes one edge per input slot and one per result", () => {
    expect(laidOut.edges).toHaveLength(GRAPH.edges.length + 2);
    for (const item of laidOut.edges) expect(item.points.length).toBeGreaterThanOrEqual(2);
    const result = laidOut.edges.find((item) => item.kind === "result" && item.edge.target === "n3");
    expect(result.edge.source).toBe(opNodeId("n3"));
    expect(result.edge.is_loss_part).toBe(true);
  });

  it("keeps the drawing inside its reported size", () => {
    for (const card of laidOut.cards) {
      expect(card.x + card.width / 2).toBeLessThanOrEqual(laidOut.width);
      expect(card.y + card.height / 2).toBeLessThanOrEqual(laidOut.height);
    }
  });
});

describe("cardLabel", () => {
  it("shortens long labels", () => {
    expect(cardLabel("h1")).toBe("h1");
    expect(cardLabel("relu(x1*w1 + b1)*w2 + b2").length).toBe(18);
  });
});
