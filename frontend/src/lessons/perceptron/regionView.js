import { prepareCanvas, linearScale } from "../../charts/canvas.js";
import { drawHeatmap } from "../../charts/heatmap.js";
import { drawMarker, CLASS_MARKERS } from "../../charts/markers.js";
import { CLASS_COLORS, CLASS_FILLS } from "../../charts/palette.js";
import { predictClass } from "./model.js";

// The data are standardised, so nearly every point lies within 3 units of 0.
const DOMAIN = [-3, 3];
const GRID_SIZE = 150;
const MARGIN_CSS = 28;

function hexToRgb(hex) {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

const REGION_RGB = CLASS_FILLS.map(hexToRgb);

/**
 * Draws the decision regions of `weights`, the points by class and, when
 * `currentIndex` is set, a ring around the sample being presented.
 * `state` = { points, featureNames, weights, currentIndex, sizeCss }.
 */
export function drawRegions(canvas, { points, featureNames, weights, currentIndex, sizeCss }) {
  const { context } = prepareCanvas(canvas, sizeCss, sizeCss);
  const plotSize = sizeCss - 2 * MARGIN_CSS;
  const toX = linearScale(DOMAIN[0], DOMAIN[1], MARGIN_CSS, MARGIN_CSS + plotSize);
  const toY = linearScale(DOMAIN[0], DOMAIN[1], MARGIN_CSS + plotSize, MARGIN_CSS);
  const cellSize = (DOMAIN[1] - DOMAIN[0]) / GRID_SIZE;

  context.clearRect(0, 0, sizeCss, sizeCss);
  if (weights && featureNames) {
    drawHeatmap(context, {
      numColumns: GRID_SIZE,
      numRows: GRID_SIZE,
      leftCss: MARGIN_CSS,
      topCss: MARGIN_CSS,
      widthCss: plotSize,
      heightCss: plotSize,
      colorAt: (column, row) => {
        const x1 = DOMAIN[0] + (column + 0.5) * cellSize;
        const x2 = DOMAIN[1] - (row + 0.5) * cellSize;
        return REGION_RGB[predictClass(weights, featureNames, x1, x2)];
      },
    });
  }
  drawAxes(context, toX, toY, plotSize);

  context.lineWidth = 1.2;
  context.strokeStyle = "#1d2430";
  for (const point of points) {
    context.fillStyle = CLASS_COLORS[point.label];
    drawMarker(context, CLASS_MARKERS[point.label], toX(point.x1), toY(point.x2), 6);
  }

  const current = currentIndex == null ? null : points[currentIndex];
  if (current) {
    context.lineWidth = 3;
    context.strokeStyle = "#111";
    context.beginPath();
    context.arc(toX(current.x1), toY(current.x2), 13, 0, 2 * Math.PI);
    context.stroke();
  }
}

function drawAxes(context, toX, toY, plotSize) {
  context.strokeStyle = "#8a94a6";
  context.lineWidth = 1;
  context.strokeRect(toX(DOMAIN[0]), toY(DOMAIN[1]), plotSize, plotSize);
  context.setLineDash([4, 4]);
  context.beginPath();
  context.moveTo(toX(0), toY(DOMAIN[0]));
  context.lineTo(toX(0), toY(DOMAIN[1]));
  context.moveTo(toX(DOMAIN[0]), toY(0));
  context.lineTo(toX(DOMAIN[1]), toY(0));
  context.stroke();
  context.setLineDash([]);
  context.fillStyle = "#5b6575";
  context.font = "13px system-ui, sans-serif";
  context.fillText("x1", toX(DOMAIN[1]) - 14, toY(DOMAIN[0]) + 18);
  context.fillText("x2", toX(DOMAIN[0]) - 22, toY(DOMAIN[1]) + 12);
}
