/**
 * One network configuration on the page: its controls, trainer, diagram,
 * output heatmap and numbers.
 */
import { createSettingControl } from "./controls.js";
import {
  FIELD_RESOLUTION,
  PLAYING_FIELD_RESOLUTION,
  computeFields,
  createFieldBuffers,
  createFieldGrid,
} from "./fields.js";
import { createNetworkView, describeNeuron } from "./networkView.js";
import { createOutputView } from "./outputView.js";
import { paintLegend } from "./fieldPainter.js";
import { formatLoss } from "./numberFormat.js";
import { NEW_LAYER_SIZE, getSetting } from "./settings.js";
import { createTrainer } from "./trainer.js";

const PANEL_CONTROLS = ["activation", "learningRate", "regularization", "regularizationRate"];
export const RUN_NAMES = ["A", "B"];

const TEMPLATE = `
  <header class="pg-run-header">
    <h2 class="pg-run-title"></h2>
    <div class="pg-run-controls"></div>
  </header>
  <div class="pg-run-body">
    <div class="pg-network-column"></div>
    <div class="pg-output-column">
      <dl class="stats pg-stats">
        <div><dt>Test loss</dt><dd data-stat="testLoss">-</dd></div>
        <div><dt>Training loss</dt><dd data-stat="trainLoss">-</dd></div>
        <div class="pg-accuracy"><dt>Test accuracy</dt><dd data-stat="testAccuracy">-</dd></div>
        <div class="pg-accuracy"><dt>Training accuracy</dt><dd data-stat="trainAccuracy">-</dd></div>
      </dl>
      <div class="pg-output-box"></div>
      <div class="pg-legend">
        <span class="pg-scale">
          <span>-1</span><canvas class="pg-scale-bar"></canvas><span>+1</span>
        </span>
        <span class="pg-class-legend"><span class="pg-marker pg-marker-negative"></span>-1</span>
        <span class="pg-class-legend"><span class="pg-marker pg-marker-positive"></span>+1</span>
        <span class="pg-target-legend">points: colour is the target value on this scale,</span>
        <span class="pg-target-legend"><span class="pg-marker pg-marker-below"></span>target ≤ 0</span>
        <span class="pg-target-legend"><span class="pg-marker pg-marker-above"></span>target > 0</span>
        <span class="pg-test-legend">
          <span class="pg-marker pg-marker-test"></span>dark rim: test point
        </span>
      </div>
    </div>
  </div>`;

function formatAccuracy(value) {
  return value === null || !Number.isFinite(value) ? "-" : `${(value * 100).toFixed(1)}%`;
}

/**
 * Creates the panel for configuration `runIndex` inside `container`.
 *
 * Callbacks: onConfigChange(runIndex, name, value), onAddPoint(point),
 * onParameterEdited(runIndex) and onViewChanged() (a redraw is needed).
 */
export function createRunPanel(container, runIndex, callbacks) {
  const section = document.createElement("section");
  section.className = "panel pg-run";
  section.dataset.run = String(runIndex);
  section.innerHTML = TEMPLATE;
  container.append(section);
  const find = (selector) => section.querySelector(selector);
  paintLegend(find(".pg-scale-bar"));

  const controls = new Map();
  for (const name of PANEL_CONTROLS) {
    const control = createSettingControl(getSetting(name), {
      idPrefix: `pg-${RUN_NAMES[runIndex]}`,
      onChange: (value) => callbacks.onConfigChange(runIndex, name, value),
    });
    controls.set(name, control);
    find(".pg-run-controls").append(control.element);
  }

  let trainer = null;
  // Grid and field buffers per resolution, for the current features and network.
  let fieldSets = new Map();
  let hoveredNeuron = null;
  let structureKey = "";

  const networkView = createNetworkView(find(".pg-network-column"), {
    onToggleFeature: (featureId) => {
      const features = trainer.config.features;
      const next = features.includes(featureId)
        ? features.filter((id) => id !== featureId)
        : [...features, featureId];
      callbacks.onConfigChange(runIndex, "features", next);
    },
    onResizeNetwork: (delta) => {
      const shape = trainer.config.networkShape;
      const next = delta > 0 ? [...shape, NEW_LAYER_SIZE] : shape.slice(0, -1);
      callbacks.onConfigChange(runIndex, "networkShape", next);
    },
    onResizeLayer: (hiddenIndex, delta) => {
      const next = trainer.config.networkShape.slice();
      next[hiddenIndex] += delta;
      callbacks.onConfigChange(runIndex, "networkShape", next);
    },
    onHoverNeuron: (neuron) => {
      hoveredNeuron = neuron;
      callbacks.onViewChanged();
    },
    onEditParameter: ({ layerIndex, toIndex, fromIndex, value }) => {
      trainer.setParameter(layerIndex, toIndex, fromIndex, value);
      callbacks.onParameterEdited(runIndex);
    },
  });
  const outputView = createOutputView(find(".pg-output-box"), {
    onAddPoint: (point) => callbacks.onAddPoint(point),
  });

  // The diagram's columns spread over the panel's width.
  let networkWidthCss = 0;
  const resizeObserver = new ResizeObserver(() => {
    const widthCss = find(".pg-network-column").clientWidth;
    if (!trainer || Math.abs(widthCss - networkWidthCss) < 4) return;
    networkWidthCss = widthCss;
    networkView.setStructure(trainer.config);
    callbacks.onViewChanged();
  });
  resizeObserver.observe(find(".pg-network-column"));

  /**
   * Builds a new trainer, so new initial weights, for `config` on `data`.
   * `shared` contains problem, seed and batchSize.
   */
  function rebuild(config, shared, data) {
    trainer = createTrainer({
      config,
      data,
      problem: shared.problem,
      seed: shared.seed,
      batchSize: shared.batchSize,
    });
    const key = `${config.features.join(",")}|${config.networkShape.join(",")}`;
    fieldSets = new Map();
    if (key !== structureKey) {
      hoveredNeuron = null;
      structureKey = key;
      networkView.setStructure(config);
    }
    for (const [name, control] of controls) control.setValue(config[name]);
  }

  /** Applies which controls a teacher's link hides. */
  function applyPermissions(hidden) {
    networkView.setStructure(trainer.config, {
      canToggleFeatures: !hidden.includes("features"),
      canEditShape: !hidden.includes("networkShape"),
    });
    outputView.setEditable(!hidden.includes("editData"));
    for (const [name, control] of controls) control.element.hidden = hidden.includes(name);
  }

  function setStat(name, text) {
    find(`[data-stat="${name}"]`).textContent = text;
  }

  function outputTitle(numLayers) {
    if (!hoveredNeuron) return "Output of the network";
    const name = describeNeuron(hoveredNeuron.layerIndex, hoveredNeuron.neuronIndex, numLayers);
    return `Output of ${name}`;
  }

  function getFieldSet(resolution) {
    if (!fieldSets.has(resolution)) {
      const grid = createFieldGrid(trainer.config.features, resolution);
      fieldSets.set(resolution, { grid, fields: createFieldBuffers(trainer.network, grid) });
    }
    return fieldSets.get(resolution);
  }

  /** Recomputes the fields and redraws everything of this configuration. */
  function render({ shared, data, isPlaying, isCompare }) {
    const network = trainer.network;
    const { grid, fields } = getFieldSet(isPlaying ? PLAYING_FIELD_RESOLUTION : FIELD_RESOLUTION);
    computeFields(network, grid, fields);
    networkView.update({ network, fields, resolution: grid.resolution, isPlaying });

    const last = fields.length - 1;
    const hoveredField = hoveredNeuron
      ? fields[hoveredNeuron.layerIndex]?.[hoveredNeuron.neuronIndex]
      : null;
    outputView.render({
      field: hoveredField ?? fields[last][0],
      resolution: grid.resolution,
      discretize: shared.discretize && !hoveredField,
      points: data.train,
      testPoints: data.test,
      showTest: shared.showTestData,
      title: outputTitle(fields.length),
    });

    const record = trainer.latest;
    setStat("testLoss", formatLoss(record.testLoss));
    setStat("trainLoss", formatLoss(record.trainLoss));
    setStat("testAccuracy", formatAccuracy(record.testAccuracy));
    setStat("trainAccuracy", formatAccuracy(record.trainAccuracy));
    section.classList.toggle("is-regression", shared.problem === "regression");
    section.classList.toggle("shows-test", shared.showTestData);
    find(".pg-run-title").textContent = isCompare ? `Network ${RUN_NAMES[runIndex]}` : "Network";
  }

  return {
    rebuild,
    render,
    applyPermissions,
    setLearningRate(rate) {
      trainer.setLearningRate(rate);
    },
    get trainer() {
      return trainer;
    },
    /** Returns what the PNG export draws for this configuration. */
    snapshot: () => ({
      name: RUN_NAMES[runIndex],
      network: networkView.snapshot(),
      output: outputView.canvases(),
      record: trainer.latest,
    }),
    destroy() {
      resizeObserver.disconnect();
      networkView.destroy();
      outputView.destroy();
      section.remove();
    },
  };
}
