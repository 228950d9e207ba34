/**
 * Draws the current view (diagram, output heatmap and loss chart of every
 * configuration) into one canvas for the PNG export.
 */
import { getFeature } from "./features.js";
import { NODE_SIZE_CSS } from "./networkLayout.js";

const MARGIN_CSS = 16;
const TITLE_HEIGHT_CSS = 28;
const OUTPUT_SIZE_CSS = 260;

function drawRun(context, run, topCss) {
  const { layout, canvas } = run.network;
  context.fillStyle = "#1d2430";
  context.font = "600 15px system-ui, sans-serif";
  context.fillText(run.title, MARGIN_CSS, topCss + 18);
  const diagramTop = topCss + TITLE_HEIGHT_CSS;

  context.drawImage(canvas, MARGIN_CSS, diagramTop, layout.widthCss, layout.heightCss);
  context.font = "13px system-ui, sans-serif";
  for (const node of layout.nodes) {
    context.strokeStyle = node.isEnabled ? "#1d2430" : "#b0b6c0";
    context.lineWidth = 1;
    context.strokeRect(MARGIN_CSS + node.x, diagramTop + node.y, NODE_SIZE_CSS, NODE_SIZE_CSS);
    if (node.layerIndex === 0) {
      context.textAlign = "right";
      const label = getFeature(node.featureId).label;
      context.fillText(label, MARGIN_CSS + node.x - 6, diagramTop + node.y + 22);
      context.textAlign = "left";
    }
  }

  const outputLeft = MARGIN_CSS * 2 + layout.widthCss;
  const { fieldCanvas, pointsCanvas, title } = run.output;
  context.drawImage(fieldCanvas, outputLeft, diagramTop, OUTPUT_SIZE_CSS, OUTPUT_SIZE_CSS);
  context.drawImage(pointsCanvas, outputLeft, diagramTop, OUTPUT_SIZE_CSS, OUTPUT_SIZE_CSS);
  context.font = "13px system-ui, sans-serif";
  context.fillText(title, outputLeft, diagramTop + OUTPUT_SIZE_CSS + 16);
  return diagramTop + Math.max(layout.heightCss, OUTPUT_SIZE_CSS + 24) + MARGIN_CSS;
}

/**
 * Returns a canvas with a heading line, each run's picture, then the chart.
 * `runs` come from runPanel.snapshot() with a `title` added.
 */
export function composeViewImage({ heading, runs, chartCanvas }) {
  const ratio = window.devicePixelRatio || 1;
  const diagramWidth = Math.max(...runs.map((run) => run.network.layout.widthCss));
  const widthCss = MARGIN_CSS * 3 + diagramWidth + OUTPUT_SIZE_CSS;
  let runsHeightCss = 0;
  for (const run of runs) {
    const contentHeightCss = Math.max(run.network.layout.heightCss, OUTPUT_SIZE_CSS + 24);
    runsHeightCss += TITLE_HEIGHT_CSS + contentHeightCss + MARGIN_CSS;
  }
  let chartHeightCss = 0;
  if (chartCanvas) {
    chartHeightCss = (chartCanvas.height / chartCanvas.width) * (widthCss - 2 * MARGIN_CSS);
  }
  const heightCss = TITLE_HEIGHT_CSS + 2 * MARGIN_CSS + runsHeightCss + chartHeightCss;

  const canvas = document.createElement("canvas");
  canvas.width = Math.round(widthCss * ratio);
  canvas.height = Math.round(heightCss * ratio);
  const context = canvas.getContext("2d");
  context.scale(ratio, ratio);
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, widthCss, heightCss);
  context.fillStyle = "#1d2430";
  context.font = "600 16px system-ui, sans-serif";
  context.fillText(heading, MARGIN_CSS, MARGIN_CSS + 14);

  let topCss = TITLE_HEIGHT_CSS + MARGIN_CSS;
  for (const run of runs) topCss = drawRun(context, run, topCss);
  if (chartCanvas) {
    context.drawImage(chartCanvas, MARGIN_CSS, topCss, widthCss - 2 * MARGIN_CSS, chartHeightCss);
  }
  return canvas;
}

/** Saves `blob` as a download named `fileName`. */
export function downloadBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
