/**
 * The data column: problem type, data set thumbnails, split, noise, batch
 * size, seed, view switches and the CSV import and export of the points.
 */
import { rgbToCss, divergingRgb } from "../../charts/palette.js";
import { drawMarker } from "../../charts/markers.js";
import { prepareCanvas } from "../../charts/canvas.js";
import { createSettingControl } from "./controls.js";
import { DATASETS, DATASET_NAMES, DOMAIN_LIMIT, generateData } from "./datasets.js";
import { markerFor } from "./outputView.js";
import { getSetting } from "./settings.js";

const THUMBNAIL_SIZE_CSS = 52;
const PREVIEW_SEED = 1;

const TEMPLATE = `
  <h2>Data</h2>
  <div class="pg-slot" data-slot="problem"></div>
  <div class="pg-datasets" data-control="dataset" role="group" aria-label="Data set"></div>
  <div class="pg-slot" data-slot="trainPercent"></div>
  <div class="pg-slot" data-slot="noise"></div>
  <div class="pg-slot" data-slot="batchSize"></div>
  <div class="pg-seed-row">
    <div class="pg-slot" data-slot="seed"></div>
    <button type="button" data-action="regenerate" data-control="regenerate"
      title="Draw a new seed: new data, new initial weights, new batch order">Regenerate</button>
  </div>
  <p class="message warning pg-input-error" data-role="input-error" aria-live="polite" hidden></p>
  <div class="pg-slot" data-slot="showTestData"></div>
  <div class="pg-slot" data-slot="discretize"></div>
  <div class="pg-edit-data" data-control="editData">
    <p class="hint">Click the output to add a +1 point there, shift-click to add a -1 point.
    Added and imported points are not part of the link: export them to share.</p>
    <div class="button-row">
      <button type="button" data-action="import-points">Import CSV</button>
      <button type="button" data-action="export-points">Export CSV</button>
      <input type="file" accept=".csv,text/csv" hidden data-role="points-file" />
    </div>
  </div>`;

function drawDatasetPreview(canvas, name) {
  const { context } = prepareCanvas(canvas, THUMBNAIL_SIZE_CSS, THUMBNAIL_SIZE_CSS);
  const data = generateData({ name, noise: 0, trainPercent: 100, seed: PREVIEW_SEED });
  const toCss = (value) => ((value + DOMAIN_LIMIT) / (2 * DOMAIN_LIMIT)) * THUMBNAIL_SIZE_CSS;
  context.fillStyle = "#f7f7f7";
  context.fillRect(0, 0, THUMBNAIL_SIZE_CSS, THUMBNAIL_SIZE_CSS);
  context.lineWidth = 0;
  context.strokeStyle = "transparent";
  data.train.forEach((point, index) => {
    if (index % 3 !== 0) return;
    context.fillStyle = rgbToCss(divergingRgb(point.label));
    drawMarker(context, markerFor(point.label), toCss(point.x1), toCss(-point.x2), 1.3);
  });
}

/**
 * Creates the panel inside `container`. Callbacks: onSharedChange(name,
 * value), onRegenerate(), onImportPoints(text), onExportPoints().
 * Returns { setValues(shared), applyHidden(hidden) }.
 */
export function createDataPanel(container, callbacks) {
  container.innerHTML = TEMPLATE;
  const find = (selector) => container.querySelector(selector);
  const inputError = find('[data-role="input-error"]');
  function showInputError(message) {
    inputError.textContent = message;
    inputError.hidden = !message;
  }

  const controls = new Map();
  for (const slot of container.querySelectorAll("[data-slot]")) {
    const name = slot.dataset.slot;
    const control = createSettingControl(getSetting(name), {
      onChange: (value) => {
        showInputError("");
        callbacks.onSharedChange(name, value);
      },
      onReject: showInputError,
    });
    controls.set(name, control);
    slot.replaceWith(control.element);
  }

  const datasetButtons = new Map();
  for (const name of DATASET_NAMES) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "pg-dataset";
    button.dataset.dataset = name;
    button.title = DATASETS[name].label;
    button.setAttribute("aria-label", DATASETS[name].label);
    const canvas = document.createElement("canvas");
    button.append(canvas);
    button.addEventListener("click", () => callbacks.onSharedChange("dataset", name));
    find(".pg-datasets").append(button);
    drawDatasetPreview(canvas, name);
    datasetButtons.set(name, button);
  }

  const fileInput = find('[data-role="points-file"]');
  find('[data-action="regenerate"]').addEventListener("click", () => {
    showInputError("");
    callbacks.onRegenerate();
  });
  find('[data-action="export-points"]').addEventListener("click", () => callbacks.onExportPoints());
  find('[data-action="import-points"]').addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files[0];
    if (!file) return;
    const text = await file.text();
    fileInput.value = "";
    callbacks.onImportPoints(text, file.name);
  });

  return {
    setValues(shared) {
      for (const [name, control] of controls) control.setValue(shared[name]);
      for (const [name, button] of datasetButtons) {
        button.hidden = DATASETS[name].problem !== shared.problem;
        button.setAttribute("aria-pressed", String(name === shared.dataset));
      }
    },
    applyHidden(hidden) {
      for (const [name, control] of controls) control.element.hidden = hidden.includes(name);
      container.querySelectorAll("[data-control]").forEach((element) => {
        if (!controls.has(element.dataset.control)) {
          element.hidden = hidden.includes(element.dataset.control);
        }
      });
    },
  };
}
