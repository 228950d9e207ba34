/**
 * The large heatmap: the network's output (or a hovered neuron's) over the
 * domain, with the data points drawn on top. A click adds a point there.
 */
import { rgbToCss, divergingRgb } from "../../charts/palette.js";
import { drawMarker } from "../../charts/markers.js";
import { prepareCanvas } from "../../charts/canvas.js";
import { DOMAIN_LIMIT } from "./datasets.js";
import { paintField } from "./fieldPainter.js";

const POINT_RADIUS_CSS = 3.6;
const TICKS = [-6, -3, 0, 3, 6];

/** Returns the marker shape for a label: triangles above zero, circles below. */
export function markerFor(label) {
  return label > 0 ? "triangle" : "circle";
}

function drawPoints(context, points, toCss, { isTest }) {
  for (const point of points) {
    const color = rgbToCss(divergingRgb(point.label));
    const x = toCss(point.x1);
    const y = toCss(-point.x2);
    // Training points have a white rim and test points a dark one, so the
    // two sets differ without relying on colour.
    context.fillStyle = color;
    context.strokeStyle = isTest ? "#1d2430" : "#ffffff";
    context.lineWidth = isTest ? 1.2 : 1;
    drawMarker(context, markerFor(point.label), x, y, POINT_RADIUS_CSS);
  }
}

function drawTicks(context, sizeCss, toCss) {
  context.fillStyle = "rgba(29, 36, 48, 0.75)";
  context.font = "10px system-ui, sans-serif";
  context.textBaseline = "bottom";
  for (const tick of TICKS) {
    const position = toCss(tick);
    context.textAlign = "center";
    if (tick === -6) context.textAlign = "left";
    if (tick === 6) context.textAlign = "right";
    context.fillText(String(tick), position, sizeCss - 1);
    if (tick !== -6) {
      context.textAlign = "left";
      context.textBaseline = tick === 6 ? "top" : "middle";
      context.fillText(String(tick), 2, toCss(-tick));
      context.textBaseline = "bottom";
    }
  }
}

/**
 * Creates the view inside `container`. `onAddPoint({ x1, x2, label })` runs
 * on a click (label +1) or shift-click (label -1) unless editing is off.
 * Returns { render(options), setEditable(isEditable), canvases(), destroy() }.
 */
export function createOutputView(container, { onAddPoint }) {
  container.classList.add("pg-output");
  const fieldCanvas = document.createElement("canvas");
  fieldCanvas.className = "pg-output-field";
  const pointsCanvas = document.createElement("canvas");
  pointsCanvas.className = "pg-output-points";
  const caption = document.createElement("p");
  caption.className = "pg-output-caption";
  container.append(fieldCanvas, pointsCanvas);
  container.after(caption);
  let isEditable = true;
  let lastSizeCss = 0;
  let pointsContext = null;
  let drawnPoints = null;

  function domainAt(event) {
    const box = pointsCanvas.getBoundingClientRect();
    const x1 = -DOMAIN_LIMIT + ((event.clientX - box.left) / box.width) * 2 * DOMAIN_LIMIT;
    const x2 = DOMAIN_LIMIT - ((event.clientY - box.top) / box.height) * 2 * DOMAIN_LIMIT;
    const clamp = (value) => Math.max(-DOMAIN_LIMIT, Math.min(DOMAIN_LIMIT, value));
    return { x1: clamp(x1), x2: clamp(x2) };
  }

  function onClick(event) {
    if (!isEditable) return;
    onAddPoint({ ...domainAt(event), label: event.shiftKey ? -1 : 1 });
  }
  pointsCanvas.addEventListener("click", onClick);

  /**
   * Draws `field` and the points. `points` and `testPoints` are arrays of
   * { x1, x2, label }; test points are drawn only when `showTest` is set.
   */
  function render({
    field,
    resolution,
    scale = 1,
    discretize,
    points,
    testPoints,
    showTest,
    title,
  }) {
    paintField(fieldCanvas, field, resolution, { scale, discretize });
    caption.textContent = title;
    const sizeCss = container.clientWidth || 300;
    if (sizeCss !== lastSizeCss || !pointsContext) {
      pointsContext = prepareCanvas(pointsCanvas, sizeCss, sizeCss).context;
      lastSizeCss = sizeCss;
      drawnPoints = null;
    }

    // The points change far less often than the field, and every redraw of
    // their canvas costs a rasterisation, so they are drawn only on change.
    const pointsState = {
      points,
      testPoints,
      showTest,
      numPoints: points.length,
      numTest: testPoints.length,
    };
    const isUnchanged =
      drawnPoints &&
      Object.keys(pointsState).every((key) => pointsState[key] === drawnPoints[key]);
    if (isUnchanged) return;
    drawnPoints = pointsState;
    const context = pointsContext;
    const toCss = (value) => ((value + DOMAIN_LIMIT) / (2 * DOMAIN_LIMIT)) * sizeCss;
    context.clearRect(0, 0, sizeCss, sizeCss);
    drawTicks(context, sizeCss, toCss);
    drawPoints(context, points, toCss, { isTest: false });
    if (showTest) drawPoints(context, testPoints, toCss, { isTest: true });
  }

  return {
    render,
    setEditable(nextIsEditable) {
      isEditable = nextIsEditable;
      pointsCanvas.classList.toggle("is-editable", nextIsEditable);
    },
    /** Returns the two canvases and their CSS size, for the PNG export. */
    canvases: () => ({
      fieldCanvas,
      pointsCanvas,
      sizeCss: lastSizeCss,
      title: caption.textContent,
    }),
    destroy() {
      pointsCanvas.removeEventListener("click", onClick);
      caption.remove();
    },
  };
}
