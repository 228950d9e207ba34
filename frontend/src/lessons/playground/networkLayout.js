/**
 * Positions of the network diagram's nodes and links, in CSS pixels. Pure:
 * the view draws what this returns, and hit tests use the same geometry.
 *
 * Column 0 shows every feature (the ones switched off are faded and have no
 * links), then one column per hidden layer, then the output neuron.
 */
import { FEATURE_IDS } from "./features.js";

export const NODE_SIZE_CSS = 36;
export const BIAS_SIZE_CSS = 9;
const ROW_GAP_CSS = 12;
const TOP_CSS = 8;
const LEFT_CSS = 64;
const RIGHT_MARGIN_CSS = 12;
const MAX_COLUMN_GAP_CSS = 170;
const CURVE_SAMPLES = 24;

/** Returns the stroke width for a weight: 1 px at 0 growing to 8 px at |w| >= 5. */
export function linkWidth(weight) {
  return 1 + (7 * Math.min(Math.abs(weight), 5)) / 5;
}

/**
 * Computes the layout for `features` (the enabled feature ids) and
 * `networkShape` (hidden layer sizes) in a box `widthCss` wide.
 *
 * Nodes: { layerIndex, neuronIndex, featureId, isEnabled, x, y } with (x, y)
 * the top-left corner; input nodes that are switched off have neuronIndex -1.
 * Links: { layerIndex, fromIndex, toIndex, x0, y0, x1, y1 }, where the weight
 * is network.weights[layerIndex][toIndex * fanIn + fromIndex].
 */
export function computeNetworkLayout({ features, networkShape, widthCss }) {
  const columnSizes = [FEATURE_IDS.length, ...networkShape, 1];
  const numColumns = columnSizes.length;
  const available = Math.max(widthCss - LEFT_CSS - RIGHT_MARGIN_CSS - NODE_SIZE_CSS, 0);
  const columnGap = Math.min(available / (numColumns - 1), MAX_COLUMN_GAP_CSS);
  const columnX = columnSizes.map((_, column) => LEFT_CSS + column * columnGap);
  const rowY = (row) => TOP_CSS + row * (NODE_SIZE_CSS + ROW_GAP_CSS);

  const columns = [];
  const inputNodes = FEATURE_IDS.map((featureId, row) => ({
    layerIndex: 0,
    neuronIndex: features.indexOf(featureId),
    featureId,
    isEnabled: features.includes(featureId),
    x: columnX[0],
    y: rowY(row),
  }));
  columns.push(inputNodes);
  for (let column = 1; column < numColumns; column++) {
    columns.push(
      Array.from({ length: columnSizes[column] }, (_, row) => ({
        layerIndex: column,
        neuronIndex: row,
        featureId: null,
        isEnabled: true,
        x: columnX[column],
        y: rowY(row),
      })),
    );
  }

  const links = [];
  for (let column = 0; column + 1 < numColumns; column++) {
    const fromNodes = columns[column].filter((node) => node.isEnabled);
    for (const to of columns[column + 1]) {
      for (const from of fromNodes) {
        links.push({
          layerIndex: column,
          fromIndex: from.neuronIndex,
          toIndex: to.neuronIndex,
          x0: from.x + NODE_SIZE_CSS,
          y0: from.y + NODE_SIZE_CSS / 2,
          x1: to.x,
          y1: to.y + NODE_SIZE_CSS / 2,
        });
      }
    }
  }

  const maxRows = Math.max(...columnSizes);
  return {
    nodes: columns.flat(),
    links,
    columnX,
    widthCss,
    heightCss: rowY(maxRows) - ROW_GAP_CSS + TOP_CSS,
  };
}

/** Returns the point at parameter t in [0, 1] on a link's S-shaped cubic curve. */
export function pointOnLink(link, t) {
  const middleX = (link.x0 + link.x1) / 2;
  const u = 1 - t;
  // Control points (middleX, y0) and (middleX, y1) give horizontal tangents.
  const x = u * u * u * link.x0 + 3 * u * t * middleX + t * t * t * link.x1;
  const y = (u * u * u + 3 * u * u * t) * link.y0 + (3 * u * t * t + t * t * t) * link.y1;
  return { x, y };
}

function distanceToSegment(px, py, a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  let t = 0;
  if (lengthSquared > 0) {
    t = Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / lengthSquared));
  }
  return Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

/** Returns the link nearest to (x, y) within `toleranceCss`, or null. */
export function findLinkAt(layout, x, y, toleranceCss = 4) {
  let best = null;
  let bestDistance = toleranceCss;
  for (const link of layout.links) {
    const left = Math.min(link.x0, link.x1) - toleranceCss;
    const right = Math.max(link.x0, link.x1) + toleranceCss;
    const top = Math.min(link.y0, link.y1) - toleranceCss;
    const bottom = Math.max(link.y0, link.y1) + toleranceCss;
    if (x < left || x > right || y < top || y > bottom) continue;
    let previous = pointOnLink(link, 0);
    for (let step = 1; step <= CURVE_SAMPLES; step++) {
      const next = pointOnLink(link, step / CURVE_SAMPLES);
      const distance = distanceToSegment(x, y, previous, next);
      if (distance <= bestDistance) {
        best = link;
        bestDistance = distance;
      }
      previous = next;
    }
  }
  return best;
}
