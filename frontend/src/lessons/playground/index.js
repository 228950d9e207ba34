/**
 * The feature-learning sandbox page. Training runs in this tab; the server
 * only delivers the page.
 */
import { evaluateChallenge } from "./challenge.js";
import { createClassroomLink } from "./classroomLink.js";
import { createSettingControl } from "./controls.js";
import { formatHistoryCsv, formatPointsCsv, parsePointsCsv } from "./csv.js";
import { createDataPanel } from "./dataPanel.js";
import { DATASETS, generateData } from "./datasets.js";
import { composeViewImage, downloadBlob } from "./exportImage.js";
import { createLossChart } from "./lossChart.js";
import { formatLoss } from "./numberFormat.js";
import { createRandom, drawNewSeed } from "./random.js";
import { RUN_NAMES, createRunPanel } from "./runPanel.js";
import {
  changeEffect,
  formatHash,
  getSetting,
  matchDatasetToProblem,
  parseHash,
} from "./settings.js";
import { TEMPLATE } from "./template.js";
import "./playground.css";

const CHART_INTERVAL_MS = 150;
const TOOLBAR_SETTINGS = ["epochsPerFrame", "compare"];

function copyConfig(config) {
  return {
    ...config,
    features: config.features.slice(),
    networkShape: config.networkShape.slice(),
  };
}

function isTextEntry(target) {
  return Boolean(target.closest?.("input, select, textarea, [contenteditable='true']"));
}

export function mount(root) {
  root.innerHTML = TEMPLATE;
  const find = (selector) => root.querySelector(selector);
  const buttons = Object.fromEntries(
    [...root.querySelectorAll("button[data-action]")].map((button) => [
      button.dataset.action,
      button,
    ]),
  );
  const messages = {
    warnings: find('[data-role="warnings"]'),
    failure: find('[data-role="failure"]'),
    notice: find('[data-role="notice"]'),
    challenge: find('[data-role="challenge"]'),
  };

  let state = null;
  let data = null;
  let runs = [];
  let chart = null;
  let isPlaying = false;
  let frameId = null;
  let lastChartUpdateMs = 0;
  let isUnmounted = false;

  const dataPanel = createDataPanel(find(".pg-data"), {
    onSharedChange: changeShared,
    onRegenerate: () => changeShared("seed", drawNewSeed()),
    onImportPoints: importPoints,
    onExportPoints: () => download(formatPointsCsv(data), "points.csv", "text/csv"),
  });

  const toolbarControls = new Map(
    TOOLBAR_SETTINGS.map((name) => {
      const control = createSettingControl(getSetting(name), {
        onChange: (value) => changeShared(name, value),
      });
      find(".pg-toolbar-settings").append(control.element);
      return [name, control];
    }),
  );
  const classroom = createClassroomLink(find(".pg-classroom"), () => state);

  // State, data and runs

  function loadFromHash() {
    const parsed = parseHash(window.location.hash);
    state = parsed.state;
    messages.warnings.textContent = parsed.warnings.join(" ");
    messages.notice.textContent = "";
    regenerateData();
    syncRunPanels();
    rebuildAllRuns();
    applyHidden();
    writeUrl();
    classroom.setHidden(state.hidden);
  }

  function regenerateData() {
    data = generateData({
      name: state.shared.dataset,
      noise: state.shared.noise,
      trainPercent: state.shared.trainPercent,
      seed: state.shared.seed,
    });
  }

  function syncRunPanels() {
    const numRuns = state.shared.compare ? 2 : 1;
    if (runs.length === numRuns && chart) return;
    while (runs.length > numRuns) runs.pop().destroy();
    while (runs.length < numRuns) {
      runs.push(
        createRunPanel(find(".pg-runs"), runs.length, {
          onConfigChange: changeConfig,
          onAddPoint: addPoint,
          onParameterEdited: () => requestRender(),
          onViewChanged: () => requestRender(),
        }),
      );
    }
    find(".pg-runs").classList.toggle("is-compare", numRuns > 1);
    chart?.destroy();
    chart = createLossChart(find(".pg-chart"), numRuns);
  }

  function rebuildAllRuns() {
    runs.forEach((run, index) => run.rebuild(state.configs[index], state.shared, data));
    afterReset();
  }

  function afterReset() {
    messages.failure.textContent = "";
    dataPanel.setValues(state.shared);
    for (const [name, control] of toolbarControls) control.setValue(state.shared[name]);
    requestRender(true);
  }

  function applyHidden() {
    const hidden = state.hidden;
    dataPanel.applyHidden(hidden);
    for (const [name, control] of toolbarControls) control.element.hidden = hidden.includes(name);
    root.querySelectorAll(".pg-toolbar [data-control], .pg-classroom").forEach((element) => {
      element.hidden = hidden.includes(element.dataset.control);
    });
    runs.forEach((run) => run.applyPermissions(hidden));
  }

  function writeUrl() {
    const url = `${window.location.pathname}${window.location.search}${formatHash(state)}`;
    window.history.replaceState(window.history.state, "", url);
    classroom.refresh();
  }

  function changeShared(name, value) {
    state.shared[name] = value;
    if (name === "problem") matchDatasetToProblem(state.shared);
    if (name === "compare" && value) state.configs[1] = copyConfig(state.configs[0]);
    const effect = changeEffect(name);
    if (effect === "data") regenerateData();
    if (name === "compare") syncRunPanels();
    if (effect === "data" || effect === "network") {
      rebuildAllRuns();
      messages.notice.textContent = "";
    } else {
      afterViewChange();
    }
    if (name === "compare") applyHidden();
    writeUrl();
  }

  function changeConfig(runIndex, name, value) {
    if (name === "features" && value.length === 0) {
      messages.notice.textContent = "Keep at least one input feature: the network needs an input.";
      return;
    }
    state.configs[runIndex][name] = Array.isArray(value) ? value.slice() : value;
    if (changeEffect(name) === "learningRate") {
      runs[runIndex].setLearningRate(value);
      afterViewChange();
    } else {
      // Every configuration restarts, so their epochs stay aligned.
      runs[runIndex].rebuild(state.configs[runIndex], state.shared, data);
      runs.forEach((run, index) => {
        if (index !== runIndex) run.trainer.reset();
      });
      afterReset();
    }
    writeUrl();
  }

  function afterViewChange() {
    dataPanel.setValues(state.shared);
    requestRender(true);
  }

  function addPoint(point) {
    data.train.push(point);
    runs.forEach((run) => run.trainer.refreshData());
    const label = point.label > 0 ? "+1" : "-1";
    const position = `(${point.x1.toFixed(2)}, ${point.x2.toFixed(2)})`;
    messages.notice.textContent =
      `Added a ${label} point at ${position}. ` +
      "Added points are not part of the link, so use Export CSV to keep them.";
    requestRender(true);
  }

  function importPoints(text, fileName) {
    if (isUnmounted) return;
    try {
      data = parsePointsCsv(text, {
        problem: state.shared.problem,
        trainPercent: state.shared.trainPercent,
        random: createRandom(state.shared.seed, "import"),
      });
    } catch (error) {
      messages.notice.textContent = "";
      messages.failure.textContent = `Could not import ${fileName}: ${error.message}`;
      return;
    }
    pause();
    rebuildAllRuns();
    messages.notice.textContent =
      `Imported ${data.train.length} training and ${data.test.length} test points ` +
      `from ${fileName}. Imported points are not part of the link, so share the ` +
      "file with it.";
  }

  // Transport

  function play() {
    const failed = runs.find((run) => run.trainer.failure);
    if (failed) {
      messages.failure.textContent = failed.trainer.failure.message;
      return;
    }
    isPlaying = true;
    updatePlayButton();
    requestRender();
  }

  function pause() {
    isPlaying = false;
    updatePlayButton();
    requestRender(true);
  }

  function togglePlay() {
    if (isPlaying) pause();
    else play();
  }

  function step() {
    pause();
    trainEpochs(1);
    requestRender(true);
  }

  function reset() {
    runs.forEach((run) => run.trainer.reset());
    messages.failure.textContent = "";
    requestRender(true);
  }

  function updatePlayButton() {
    buttons.play.textContent = isPlaying ? "Pause" : "Play";
    buttons.play.setAttribute("aria-pressed", String(isPlaying));
  }

  /** Trains `count` epochs on every configuration; stops on a failure. */
  function trainEpochs(count) {
    for (let epoch = 0; epoch < count; epoch++) {
      for (const [index, run] of runs.entries()) {
        const record = run.trainer.trainEpoch();
        if (record) continue;
        const failure = run.trainer.failure;
        const prefix = runs.length > 1 ? `Network ${RUN_NAMES[index]}: ` : "";
        messages.failure.textContent = failure
          ? `${prefix}${failure.message}`
          : "There are no training points to learn from.";
        isPlaying = false;
        updatePlayButton();
        return;
      }
    }
  }

  // Drawing

  function requestRender(isChartDue = false) {
    // Late callbacks (a file import, a resize) may arrive after the page is gone.
    if (isUnmounted) return;
    if (isChartDue) lastChartUpdateMs = 0;
    frameId ??= window.requestAnimationFrame(frame);
  }

  function frame(timeMs) {
    frameId = null;
    if (isPlaying) trainEpochs(state.shared.epochsPerFrame);
    renderAll(timeMs);
    if (isPlaying) requestRender();
  }

  function renderAll(timeMs = performance.now()) {
    const context = { shared: state.shared, data, isPlaying, isCompare: runs.length > 1 };
    runs.forEach((run) => run.render(context));
    const epoch = Math.max(...runs.map((run) => run.trainer.epoch));
    find('[data-stat="epoch"]').textContent = String(epoch).padStart(6, "0");
    // The chart and the challenge scan the whole history, so while playing
    // they refresh a few times a second instead of every frame.
    if (isPlaying && timeMs - lastChartUpdateMs < CHART_INTERVAL_MS) return;
    lastChartUpdateMs = timeMs;
    const histories = runs.map((run) => run.trainer.history);
    chart.update(histories);
    const status = evaluateChallenge(state.shared, histories);
    messages.challenge.textContent = status.message;
    messages.challenge.dataset.state = status.state;
    messages.challenge.classList.toggle("is-reached", status.state === "reached");
  }

  // Exports

  function download(text, fileName, type) {
    downloadBlob(new Blob([text], { type }), fileName);
  }

  function exportHistory() {
    const histories = runs.map((run) => run.trainer.history);
    const names = runs.map((_, index) => RUN_NAMES[index]);
    const text = formatHistoryCsv(histories, names, state.shared.problem);
    download(text, "loss-history.csv", "text/csv");
  }

  function exportImage() {
    const epoch = Math.max(...runs.map((run) => run.trainer.epoch));
    const dataset = DATASETS[state.shared.dataset].label;
    const snapshots = runs.map((run) => {
      const snapshot = run.snapshot();
      const { testLoss, trainLoss } = snapshot.record;
      const name = runs.length > 1 ? `Network ${snapshot.name}` : "Network";
      const losses = `test loss ${formatLoss(testLoss)}, training loss ${formatLoss(trainLoss)}`;
      return { ...snapshot, title: `${name}: ${losses}` };
    });
    const canvas = composeViewImage({
      heading: `${dataset}, seed ${state.shared.seed}, epoch ${epoch}`,
      runs: snapshots,
      chartCanvas: chart.canvas(),
    });
    canvas.toBlob((blob) => downloadBlob(blob, "feature-learning.png"), "image/png");
  }

  // Events

  function onKeyDown(event) {
    if (isTextEntry(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === " ") {
      event.preventDefault();
      togglePlay();
    } else if (event.key === "ArrowRight" && !state.hidden.includes("stepButton")) {
      event.preventDefault();
      step();
    }
  }

  function onHashChange() {
    pause();
    loadFromHash();
  }

  buttons.play.addEventListener("click", togglePlay);
  buttons.step.addEventListener("click", step);
  buttons.reset.addEventListener("click", reset);
  buttons["export-history"].addEventListener("click", exportHistory);
  buttons["export-image"].addEventListener("click", exportImage);
  window.addEventListener("keydown", onKeyDown);
  window.addEventListener("hashchange", onHashChange);

  loadFromHash();

  return () => {
    isUnmounted = true;
    isPlaying = false;
    if (frameId !== null) window.cancelAnimationFrame(frameId);
    window.removeEventListener("keydown", onKeyDown);
    window.removeEventListener("hashchange", onHashChange);
    runs.forEach((run) => run.destroy());
    chart?.destroy();
  };
}
