import { prepareCanvas } from "../../charts/canvas.js";
import { divergingRgb, rgbToCss, weightColor } from "../../charts/palette.js";

const MARGIN_CSS = { top: 34, right: 30, bottom: 16, left: 30 };
const MAX_NODE_RADIUS_CSS = 11;
const MIN_NODE_RADIUS_CSS = 2.5;
// Edge width in CSS pixels per unit of |weight|, capped at MAX_EDGE_WIDTH_CSS.
const EDGE_WIDTH_PER_WEIGHT = 2;
const MIN_EDGE_WIDTH_CSS = 0.4;
const MAX_EDGE_WIDTH_CSS = 7;
const MISSING_COLOR = "#9aa3b0";

/** Column captions: the input, each hidden layer with its size, the output. */
export function layerCaptions(sizes) {
  return sizes.map((size, index) => {
    if (index === 0) return "input x";
    if (index === sizes.length - 1) return "output y";
    return `hidden ${index} (${size})`;
  });
}

/** Centre of every node in CSS pixels, one array per layer. */
export function nodePositions(sizes, widthCss, heightCss) {
  const innerWidth = widthCss - MARGIN_CSS.left - MARGIN_CSS.right;
  const innerHeight = heightCss - MARGIN_CSS.top - MARGIN_CSS.bottom;
  const columnGap = innerWidth / Math.max(1, sizes.length - 1);
  return sizes.map((size, layerIndex) => {
    const x = MARGIN_CSS.left + layerIndex * columnGap;
    const rowGap = innerHeight / Math.max(size, 1);
    return Array.from({ length: size }, (_, unit) => ({
      x,
      y: MARGIN_CSS.top + rowGap * (unit + 0.5),
    }));
  });
}

/** Edge width for a weight: grows with |w|; null (a NaN or infinite weight) gets the minimum. */
export function edgeWidth(weight) {
  if (weight == null) return MIN_EDGE_WIDTH_CSS;
  const width = Math.abs(weight) * EDGE_WIDTH_PER_WEIGHT;
  return Math.max(MIN_EDGE_WIDTH_CSS, Math.min(MAX_EDGE_WIDTH_CSS, width));
}

/**
 * Draws the network: one column of nodes per layer and an edge per weight.
 * Edge colour gives the weight's sign (orange +, blue -) and width its size.
 * Node fill gives the sign and size of the unit's bias. Without `layers`
 * (a shape preview) every edge is thin and grey.
 */
export function drawNetwork(canvas, { sizes, layers, widthCss, heightCss }) {
  const { context } = prepareCanvas(canvas, widthCss, heightCss);
  context.clearRect(0, 0, widthCss, heightCss);
  const positions = nodePositions(sizes, widthCss, heightCss);
  const largestLayer = Math.max(...sizes);
  const rowGap = (heightCss - MARGIN_CSS.top - MARGIN_CSS.bottom) / largestLayer;
  const radius = Math.max(MIN_NODE_RADIUS_CSS, Math.min(MAX_NODE_RADIUS_CSS, rowGap * 0.35));

  drawEdges(context, positions, layers);
  drawNodes(context, positions, layers, radius);

  context.fillStyle = "#1d2430";
  context.font = "12px system-ui, sans-serif";
  context.textAlign = "center";
  layerCaptions(sizes).forEach((caption, index) => {
    const x = Math.min(widthCss - 40, Math.max(40, positions[index][0].x));
    context.fillText(caption, x, 14);
  });
}

function drawEdges(context, positions, layers) {
  const edges = [];
  for (let layerIndex = 0; layerIndex < positions.length - 1; layerIndex += 1) {
    const from = positions[layerIndex];
    const to = positions[layerIndex + 1];
    for (let i = 0; i < from.length; i += 1) {
      for (let j = 0; j < to.length; j += 1) {
        const weight = layers ? layers[layerIndex].weights[i][j] : undefined;
        edges.push({ from: from[i], to: to[j], weight });
      }
    }
  }
  // Draw the largest weights last, so they stay visible on top.
  edges.sort((a, b) => Math.abs(a.weight ?? 0) - Math.abs(b.weight ?? 0));
  context.lineCap = "round";
  for (const { from, to, weight } of edges) {
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    if (weight === undefined) {
      context.strokeStyle = MISSING_COLOR;
      context.globalAlpha = 0.5;
      context.lineWidth = 1;
      context.setLineDash([]);
    } else if (weight === null) {
      context.strokeStyle = MISSING_COLOR;
      context.globalAlpha = 0.8;
      context.lineWidth = 1;
      context.setLineDash([3, 3]);
    } else {
      context.strokeStyle = weightColor(weight);
      context.globalAlpha = 0.75;
      context.lineWidth = edgeWidth(weight);
      context.setLineDash([]);
    }
    context.stroke();
  }
  context.globalAlpha = 1;
  context.setLineDash([]);
}

function drawNodes(context, positions, layers, radius) {
  positions.forEach((column, layerIndex) => {
    column.forEach((position, unit) => {
      // Layer l's biases belong to the units of column l + 1; the input has none.
      const bias = layerIndex > 0 && layers ? layers[layerIndex - 1].biases[unit] : undefined;
      context.beginPath();
      context.arc(position.x, position.y, radius, 0, 2 * Math.PI);
      if (bias === undefined) context.fillStyle = "#ffffff";
      else if (bias === null) context.fillStyle = MISSING_COLOR;
      else context.fillStyle = rgbToCss(divergingRgb(Math.tanh(bias)));
      context.fill();
      context.lineWidth = 1;
      context.strokeStyle = "#1d2430";
      context.stroke();
    });
  });
}
