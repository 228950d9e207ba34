import { describe, expect, it } from "vitest";
import { FEATURE_IDS } from "./features.js";
import {
  NODE_SIZE_CSS,
  computeNetworkLayout,
  findLinkAt,
  linkWidth,
  pointOnLink,
} from "./networkLayout.js";

const LAYOUT = computeNetworkLayout({
  features: ["x1", "x2"],
  networkShape: [4, 2],
  widthCss: 600,
});

describe("computeNetworkLayout", () => {
  it("shows every feature and one column per layer", () => {
    expect(LAYOUT.nodes).toHaveLength(FEATURE_IDS.length + 4 + 2 + 1);
    expect(LAYOUT.columnX).toHaveLength(4);
    const inputs = LAYOUT.nodes.filter((node) => node.layerIndex === 0);
    expect(inputs.filter((node) => node.isEnabled).map((node) => node.featureId)).toEqual(["x1", "x2"]);
    expect(inputs.find((node) => node.featureId === "sinX1").neuronIndex).toBe(-1);
  });

  it("links only enabled inputs, every pair of adjacent layers", () => {
    expect(LAYOUT.links).toHaveLength(2 * 4 + 4 * 2 + 2 * 1);
    const fromInputs = LAYOUT.links.filter((link) => link.layerIndex === 0);
    expect(new Set(fromInputs.map((link) => link.fromIndex))).toEqual(new Set([0, 1]));
  });

  it("starts and ends links at the node edges", () => {
    const link = LAYOUT.links.find((item) => item.layerIndex === 1 && item.fromIndex === 3 && item.toIndex === 1);
    const from = LAYOUT.nodes.find((node) => node.layerIndex === 1 && node.neuronIndex === 3);
    const to = LAYOUT.nodes.find((node) => node.layerIndex === 2 && node.neuronIndex === 1);
    expect(link.x0).toBe(from.x + NODE_SIZE_CSS);
    expect(link.y0).toBe(from.y + NODE_SIZE_CSS / 2);
    expect(link.x1).toBe(to.x);
    expect(link.y1).toBe(to.y + NODE_SIZE_CSS / 2);
  });

  it("fits the width and the tallest column", () => {
    const lastX = LAYOUT.columnX[LAYOUT.columnX.length - 1];
    expect(lastX + NODE_SIZE_CSS).toBeLessThanOrEqual(600);
    const lowest = Math.max(...LAYOUT.nodes.map((node) => node.y + NODE_SIZE_CSS));
    expect(LAYOUT.heightCss).toBeGreaterThanOrEqual(lowest);
  });

  it("handles a network without hidden layers", () => {
    const layout = computeNetworkLayout({ features: ["x1"], networkShape: [], widthCss: 400 });
    expect(layout.links).toHaveLength(1);
    expect(layout.links[0]).toMatchObject({ layerIndex: 0, fromIndex: 0, toIndex: 0 });
  });
});

describe("findLinkAt", () => {
  it("finds the link under a point on its curve", () => {
    for (const link of LAYOUT.links.slice(0, 6)) {
      const { x, y } = pointOnLink(link, 0.3);
      const found = findLinkAt(LAYOUT, x, y, 0.5);
      expect(found).toBe(link);
    }
  });

  it("returns null away from every link", () => {
    expect(findLinkAt(LAYOUT, 2, 2)).toBeNull();
  });
});

describe("pointOnLink", () => {
  it("runs from the start to the end", () => {
    const link = LAYOUT.links[0];
    expect(pointOnLink(link, 0)).toEqual({ x: link.x0, y: link.y0 });
    const end = pointOnLink(link, 1);
    expect(end.x).toBeCloseTo(link.x1, 9);
    expect(end.y).toBeCloseTo(link.y1, 9);
  });
});

describe("linkWidth", () => {
  it("grows with |w| from 1 px and stops at 8 px", () => {
    expect(linkWidth(0)).toBe(1);
    expect(linkWidth(-2.5)).toBe(linkWidth(2.5));
    expect(linkWidth(2.5)).toBe(4.5);
    expect(linkWidth(5)).toBe(8);
    expect(linkWidth(50)).toBe(8);
  });
});
