import { graphlib, layout } from "@dagrejs/dagre";
import { opSymbol } from "./formulas.js";

// Sizes in the drawing's units, which are CSS pixels at scale 1. A card has
// a label line and a row each for data and grad. Trainable cards have a
// third row for the value after the update step.
export const CARD_ROW_HEIGHT = 18;
export const OP_SIZE = 30;
export const VALUE_LEFT = 40;
// Room for a value of about 11 characters, such as -0.12345678.
const CARD_MIN_WIDTH = VALUE_LEFT + 88;
const CARD_MAX_LABEL = 18;
// Estimates of the average glyph width at the label and tag font sizes.
const CHARACTER_WIDTH = 8;
const TAG_CHARACTER_WIDTH = 6;

export function opNodeId(nodeId) {
  return `op:${nodeId}`;
}

/** Shortens a long label for a card; the full label goes in its tooltip. */
export function cardLabel(label) {
  return label.length > CARD_MAX_LABEL ? `${label.slice(0, CARD_MAX_LABEL - 1)}…` : label;
}

function opWidth(node) {
  return Math.max(OP_SIZE, opSymbol(node).length * 7 + 12);
}

const ROLE_TAGS = {
  input: "input",
  target: "target",
  trainable: "★ trainable",
  constant: "constant",
  loss: "output",
};

/** Returns the role shown in a card's corner, or "" for intermediate nodes. */
export function roleTag(node) {
  return ROLE_TAGS[node.role] ?? "";
}

export function cardHeight(node) {
  const numRows = node.role === "trainable" ? 3 : 2;
  return 28 + numRows * CARD_ROW_HEIGHT;
}

function cardWidth(node) {
  const labelWidth = cardLabel(node.label).length * CHARACTER_WIDTH;
  const tagWidth = roleTag(node).length * TAG_CHARACTER_WIDTH;
  return Math.max(CARD_MIN_WIDTH, labelWidth + tagWidth + 28);
}

/**
 * Lays out the graph left to right with dagre.
 *
 * Each value node is a card, and each operation sits in a small node of its
 * own between its inputs' cards and its output's card. Returns the cards,
 * the operation nodes and the edges with their routed points, plus the
 * drawing's width and height.
 */
export function layoutGraph(graph) {
  const dagreGraph = new graphlib.Graph({ multigraph: true });
  dagreGraph.setGraph({ rankdir: "LR", nodesep: 16, ranksep: 26, marginx: 8, marginy: 8 });
  dagreGraph.setDefaultEdgeLabel(() => ({}));

  for (const node of graph.nodes) {
    dagreGraph.setNode(node.id, { width: cardWidth(node), height: cardHeight(node) });
    if (node.op) {
      dagreGraph.setNode(opNodeId(node.id), { width: opWidth(node), height: OP_SIZE });
      dagreGraph.setEdge(opNodeId(node.id), node.id, {}, `result:${node.id}`);
    }
  }
  // One edge per input slot, so a node used twice (a + a) gets two edges.
  for (const edge of graph.edges) {
    const name = `${edge.source}>${edge.target}#${edge.input_index}`;
    dagreGraph.setEdge(edge.source, opNodeId(edge.target), {}, name);
  }
  layout(dagreGraph);

  const place = (id) => {
    const { x, y, width, height } = dagreGraph.node(id);
    return { x, y, width, height };
  };
  const cards = graph.nodes.map((node) => ({ node, ...place(node.id) }));
  const ops = graph.nodes
    .filter((node) => node.op)
    .map((node) => ({ node, ...place(opNodeId(node.id)) }));
  const edges = [
    ...graph.edges.map((edge) => ({
      edge,
      kind: "input",
      points: dagreGraph.edge(
        edge.source,
        opNodeId(edge.target),
        `${edge.source}>${edge.target}#${edge.input_index}`,
      ).points,
    })),
    ...ops.map(({ node }) => ({
      edge: { source: opNodeId(node.id), target: node.id, is_loss_part: node.is_loss_part },
      kind: "result",
      points: dagreGraph.edge(opNodeId(node.id), node.id, `result:${node.id}`).points,
    })),
  ];
  const { width, height } = dagreGraph.graph();
  return { cards, ops, edges, width, height };
}
