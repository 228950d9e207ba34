import { linearScale, prepareCanvas } from "../../charts/canvas.js";

const MARGIN_CSS = { top: 12, right: 14, bottom: 32, left: 44 };
const CURVE_COLOR = "#e66101";
const HISTORY_RGB = "230, 97, 1";
const DIVERGED_COLOR = "#b3261e";
const POINT_COLOR = "rgba(44, 123, 182, 0.35)";
const TARGET_COLOR = "#1d2430";
// Room above and below the target curve, in y units.
const Y_PADDING = 2.5;

/** Returns the y range to show: the target curve's range with room around it. */
export function yDomain(targetCurve) {
  return [Math.min(...targetCurve) - Y_PADDING, Math.max(...targetCurve) + Y_PADDING];
}

/** Returns evenly spaced round tick values covering [minimum, maximum]. */
export function ticks(minimum, maximum, step) {
  const values = [];
  for (let value = Math.ceil(minimum / step) * step; value <= maximum + 1e-9; value += step) {
    values.push(Number(value.toFixed(6)));
  }
  return values;
}

/**
 * Draws the data points, the target curve (dashed), the earlier model curves
 * with their opacity, and the current model curve on top.
 * `state` = { setup, history: [{ curve, alpha }], current, diverged, widthCss, heightCss }.
 * Null values in a curve (NaN or infinity on the server) break the line.
 */
export function drawCurves(canvas, { setup, history, current, diverged, widthCss, heightCss }) {
  const { context } = prepareCanvas(canvas, widthCss, heightCss);
  context.clearRect(0, 0, widthCss, heightCss);
  if (!setup) return;
  const gridX = setup.grid_x;
  const [yMin, yMax] = yDomain(setup.target_curve);
  const toX = linearScale(gridX[0], gridX[gridX.length - 1], MARGIN_CSS.left, widthCss - MARGIN_CSS.right);
  const toY = linearScale(yMin, yMax, heightCss - MARGIN_CSS.bottom, MARGIN_CSS.top);

  drawAxes(context, { toX, toY, xRange: [gridX[0], gridX[gridX.length - 1]], yRange: [yMin, yMax], widthCss, heightCss });

  context.save();
  context.beginPath();
  context.rect(MARGIN_CSS.left, MARGIN_CSS.top, widthCss - MARGIN_CSS.left - MARGIN_CSS.right, heightCss - MARGIN_CSS.top - MARGIN_CSS.bottom);
  context.clip();

  context.fillStyle = POINT_COLOR;
  const { x: xs, y: ys } = setup.data;
  for (let index = 0; index < xs.length; index += 1) {
    context.fillRect(toX(xs[index]) - 1.2, toY(ys[index]) - 1.2, 2.4, 2.4);
  }

  context.setLineDash([6, 5]);
  strokeCurve(context, gridX, setup.target_curve, { toX, toY, color: TARGET_COLOR, width: 1.2 });
  context.setLineDash([]);

  for (const { curve, alpha } of history) {
    strokeCurve(context, gridX, curve, { toX, toY, color: `rgba(${HISTORY_RGB}, ${alpha})`, width: 1.5 });
  }
  if (current) {
    strokeCurve(context, gridX, current, { toX, toY, color: diverged ? DIVERGED_COLOR : CURVE_COLOR, width: 3 });
  }
  context.restore();

  const note = current ? offChartNote(current, yMin, yMax) : null;
  if (note) {
    context.fillStyle = DIVERGED_COLOR;
    context.font = "600 14px system-ui, sans-serif";
    context.textAlign = "center";
    context.fillText(note, (MARGIN_CSS.left + widthCss - MARGIN_CSS.right) / 2, MARGIN_CSS.top + 24);
  }
}

/** Returns a note when no point of the model's curve can be drawn, else null. */
export function offChartNote(curve, yMin, yMax) {
  const finite = curve.filter((value) => value != null);
  if (finite.length === 0) return "The model's output is no longer a number.";
  if (finite.some((value) => value >= yMin && value <= yMax)) return null;
  const largest = Math.max(...finite.map(Math.abs));
  return `The model's curve is off the chart (values near ${largest.toExponential(0)}).`;
}

function strokeCurve(context, xs, ys, { toX, toY, color, width }) {
  context.strokeStyle = color;
  context.lineWidth = width;
  context.beginPath();
  let isDrawing = false;
  for (let index = 0; index < xs.length; index += 1) {
    const value = ys[index];
    if (value == null) {
      isDrawing = false;
      continue;
    }
    // Far-off values are clamped so that the canvas never gets huge coordinates.
    const y = Math.max(-1e4, Math.min(1e4, toY(value)));
    if (isDrawing) context.lineTo(toX(xs[index]), y);
    else context.moveTo(toX(xs[index]), y);
    isDrawing = true;
  }
  context.stroke();
}

function drawAxes(context, { toX, toY, xRange, yRange, widthCss, heightCss }) {
  context.strokeStyle = "#d6dbe3";
  context.fillStyle = "#5b6575";
  context.lineWidth = 1;
  context.font = "12px system-ui, sans-serif";
  context.textAlign = "center";
  for (const value of ticks(xRange[0], xRange[1], 1)) {
    const x = toX(value);
    context.beginPath();
    context.moveTo(x, MARGIN_CSS.top);
    context.lineTo(x, heightCss - MARGIN_CSS.bottom);
    context.stroke();
    context.fillText(String(value), x, heightCss - MARGIN_CSS.bottom + 15);
  }
  context.fillText("x", widthCss - MARGIN_CSS.right - 4, heightCss - 3);
  context.textAlign = "right";
  for (const value of ticks(yRange[0], yRange[1], 5)) {
    const y = toY(value);
    context.beginPath();
    context.moveTo(MARGIN_CSS.left, y);
    context.lineTo(widthCss - MARGIN_CSS.right, y);
    context.stroke();
    context.fillText(String(value), MARGIN_CSS.left - 6, y + 4);
  }
  context.textAlign = "left";
  context.fillText("y", 4, MARGIN_CSS.top + (heightCss - MARGIN_CSS.top - MARGIN_CSS.bottom) / 2);
}
