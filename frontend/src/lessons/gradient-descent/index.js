import {
  CONTROL,
  EVENT,
  GRADIENT_DESCENT_CONTROL,
  GRADIENT_DESCENT_EVENT,
} from "../../api/events.js";
import { describeSocketError } from "../../api/errors.js";
import { getJson } from "../../api/rest.js";
import { LessonSocket } from "../../api/socket.js";
import { createLineChart } from "../../charts/lineChart.js";
import { readHashValues, writeHashValues } from "../../state/hashState.js";
import { createSchemaForm, formatNumber, sliderPosition, sliderValue } from "../../state/schemaForm.js";
import { defaultValues, describeFields } from "../../state/schemaFields.js";
import { drawCurves } from "./curveView.js";
import {
  describeOutcome,
  fadingCurves,
  formatLoss,
  log10Values,
  lossAxis,
  lossSeries,
  needsLogScale,
} from "./model.js";
import { drawNetwork } from "./networkView.js";
import { TEMPLATE } from "./template.js";
import "./gradientDescent.css";

const SPEED_FIELD = { minimum: 1, maximum: 200, scale: "log" };
const DEFAULT_SPEED = 10;
const HIDDEN_FIELDS = ["hidden_units_1", "hidden_units_2"];
const CURVE_HEIGHT_CSS = 340;
const NETWORK_HEIGHT_CSS = 300;

export function mount(root) {
  root.innerHTML = TEMPLATE;
  const find = (selector) => root.querySelector(selector);
  const message = find('[data-role="message"]');
  const suggestionButton = find('[data-action="try-suggestion"]');
  const speedInput = find('input[name="speed"]');
  const frameInput = find('input[name="frame"]');
  const logInput = find('input[name="log-scale"]');
  const buttons = Object.fromEntries(
    [...root.querySelectorAll("button[data-action]")].map((button) => [button.dataset.action, button]),
  );

  let form = null;
  let fields = [];
  let lossChart = null;
  // The loss chart's y scale and x axis label, so it is rebuilt only when they change.
  let lossChartLayout = null;
  let suggestion = null;
  // Socket and fetch callbacks may still run after the page is left.
  let isMounted = true;
  // What the page shows, rebuilt from events. `frames[i]` is the frame with index i.
  const view = {
    setup: null,
    frames: [],
    currentIndex: -1,
    status: "ready",
    isComplete: false,
    // Sizes of a previewed network, shown until the next run starts.
    previewSizes: null,
  };

  const socket = new LessonSocket("/ws/gradient-descent", {
    onStatus: (status) => {
      if (!isMounted) return;
      find(".connection").textContent =
        status === "closed" ? "Connection lost; it reopens on the next action." : "";
    },
  });

  socket
    .on(GRADIENT_DESCENT_EVENT.SETUP, (event) => {
      view.setup = event;
      view.frames = [];
      view.currentIndex = -1;
      view.isComplete = false;
      view.previewSizes = null;
      showMessage("info", "");
      setLogScale(false);
      rebuildNormsTable(event.sizes);
      render();
    })
    .on(GRADIENT_DESCENT_EVENT.FRAME, (event) => {
      view.frames[event.index] = event;
      view.currentIndex = event.index;
      view.previewSizes = null;
      if (needsLogScale(event) && !logInput.checked) setLogScale(true);
      render();
    })
    .on(GRADIENT_DESCENT_EVENT.NETWORK, (event) => {
      view.previewSizes = event.sizes;
      renderNetwork();
    })
    .on(EVENT.STATE, (event) => {
      view.status = event.status;
      view.isComplete = event.is_complete;
      if (event.status === "finished" || (event.is_complete && isAtLastFrame())) {
        showOutcome();
      }
      updateControls();
      setStat("status", view.status);
    })
    .on(EVENT.ERROR, (event) => {
      const labels = Object.fromEntries(fields.map((field) => [field.name, field.label]));
      showMessage("error", describeSocketError(event, { labels }));
    });

  function currentParams() {
    return form.getValues();
  }

  function start({ autoplay = true } = {}) {
    const params = currentParams();
    writeHashValues(params);
    socket.send(CONTROL.START, { params, steps_per_second: currentSpeed(), autoplay });
  }

  function isFormChangedSinceRun() {
    if (!view.setup) return true;
    const params = currentParams();
    return Object.keys(params).some((name) => params[name] !== view.setup.params[name]);
  }

  function currentSpeed() {
    return sliderValue(SPEED_FIELD, Number(speedInput.value));
  }

  function isAtLastFrame() {
    return view.currentIndex === view.frames.length - 1;
  }

  function togglePlay() {
    if (view.status !== "playing" && isFormChangedSinceRun()) {
      start();
    } else if (view.status === "playing") {
      socket.send(CONTROL.PAUSE);
    } else if (view.status === "paused" && !(view.isComplete && isAtLastFrame())) {
      socket.send(CONTROL.RESUME);
    } else {
      // Replay a finished run from its first frame.
      socket.send(CONTROL.SEEK, { index: 0 });
      socket.send(CONTROL.RESUME);
    }
  }

  function stepBy(offset) {
    if (!view.setup) return;
    socket.send(offset < 0 ? CONTROL.PREV : CONTROL.STEP);
  }

  function seek(index) {
    // The frame is drawn from what the page holds; the server moves its cursor
    // there too, so Play continues from this frame.
    view.currentIndex = index;
    render();
    socket.send(CONTROL.SEEK, { index });
  }

  function preview() {
    const values = currentParams();
    socket.send(GRADIENT_DESCENT_CONTROL.PREVIEW, Object.fromEntries(HIDDEN_FIELDS.map((name) => [name, values[name]])));
  }

  function updateControls() {
    const hasFrames = view.frames.length > 0;
    buttons.play.textContent = view.status === "playing" ? "Pause" : "Play";
    buttons.prev.disabled = !hasFrames || view.currentIndex <= 0;
    buttons.next.disabled = !hasFrames || (view.isComplete && isAtLastFrame());
    frameInput.disabled = !hasFrames;
  }

  function showMessage(level, text) {
    message.className = level === "info" ? "message" : `message ${level}`;
    message.textContent = text;
    if (!text) suggestionButton.hidden = true;
  }

  function showOutcome() {
    const firstFrame = view.frames[0];
    const lastFrame = view.frames[view.frames.length - 1];
    if (!firstFrame || !lastFrame) return;
    const outcome = describeOutcome({
      frames: view.frames,
      params: view.setup.params,
      defaults: defaultValues(fields),
      stepsPerEpoch: view.setup.steps_per_epoch,
    });
    showMessage(outcome.level, outcome.text);
    suggestion = outcome.suggestion;
    suggestionButton.hidden = suggestion == null;
    if (suggestion) suggestionButton.textContent = suggestion.label;
  }

  function rebuildNormsTable(sizes) {
    const header = find(".norms-table thead tr");
    const row = find(".norms-table tbody tr");
    header.replaceChildren(
      Object.assign(document.createElement("th"), { textContent: "Gradient norm" }),
      ...sizes.slice(1).map((size, index) =>
        Object.assign(document.createElement("th"), { textContent: `layer ${index + 1} (${sizes[index]}→${size})` }),
      ),
    );
    row.replaceChildren(
      Object.assign(document.createElement("th"), { textContent: "this frame" }),
      ...sizes.slice(1).map(() => Object.assign(document.createElement("td"), { textContent: "-" })),
    );
  }

  function render() {
    const frame = view.frames[view.currentIndex] ?? null;
    renderCurves(frame);
    renderLoss();
    renderNetwork();
    setStat("epoch", frame ? frame.epoch : 0);
    setStat("step", frame ? frame.step : 0);
    setStat("loss", frame ? formatLoss(frame.loss) : "-");
    setStat("running-loss", frame && frame.kind !== "initial" ? formatLoss(frame.running_loss) : "-");
    setStat("status", view.status);
    setStat("frame", frame ? `frame ${frame.index + 1} of ${view.frames.length}${frame.kind === "step" ? " (one update)" : ""}` : "no frames yet");
    root.querySelectorAll(".norms-table tbody td").forEach((cell, index) => {
      const norm = frame?.gradient_norms?.[index];
      cell.textContent = norm === undefined ? "-" : formatLoss(norm);
    });
    frameInput.max = String(Math.max(0, view.frames.length - 1));
    frameInput.value = String(Math.max(0, view.currentIndex));
    updateControls();
  }

  function renderCurves(frame) {
    const wrap = find(".curve-wrap");
    drawCurves(find("canvas.curves"), {
      setup: view.setup,
      history: frame ? fadingCurves(view.frames, view.currentIndex) : [],
      current: frame?.curve ?? null,
      diverged: Boolean(frame?.diverged),
      widthCss: Math.max(280, wrap.clientWidth),
      heightCss: CURVE_HEIGHT_CSS,
    });
  }

  function renderLoss() {
    const axis = lossAxis(view.frames, view.setup?.steps_per_epoch);
    ensureLossChart(logInput.checked, axis.label);
    if (!view.setup) return;
    const series = lossSeries(view.frames, view.currentIndex, {
      unit: axis.unit,
      stepsPerEpoch: view.setup.steps_per_epoch,
    });
    if (logInput.checked) {
      lossChart.setData(series.xs, log10Values(series.loss), log10Values(series.runningLoss));
    } else {
      lossChart.setData(series.xs, series.loss, series.runningLoss);
    }
  }

  function renderNetwork() {
    const frame = view.frames[view.currentIndex] ?? null;
    const sizes = view.previewSizes ?? view.setup?.sizes ?? previewSizesFromForm();
    if (!sizes) return;
    drawNetwork(find("canvas.network"), {
      sizes,
      layers: view.previewSizes ? null : frame?.layers ?? null,
      widthCss: Math.max(280, find(".network-wrap").clientWidth),
      heightCss: NETWORK_HEIGHT_CSS,
    });
  }

  function previewSizesFromForm() {
    if (!form) return null;
    const values = currentParams();
    return [1, values.hidden_units_1, values.hidden_units_2, 1];
  }

  function setStat(name, value) {
    find(`[data-stat="${name}"]`).textContent = String(value);
  }

  function runWith(params) {
    form.setValues(params);
    start();
  }

  /**
   * True when a key press should drive the timeline: not while a form control
   * has focus (typing, or the scrubber's own arrow keys), and not on a button
   * outside the timeline, where space presses that button.
   */
  function isShortcutTarget(target) {
    if (target.closest("input, select, textarea, [contenteditable]")) return false;
    const button = target.closest("button");
    return !button || button.closest(".timeline") != null;
  }

  function onKeyDown(event) {
    if (!isShortcutTarget(event.target)) return;
    if (event.key === " ") {
      event.preventDefault();
      togglePlay();
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      stepBy(1);
    } else if (event.key === "ArrowLeft") {
      event.preventDefault();
      stepBy(-1);
    }
  }

  // Space on a focused button would also click it when the key goes up, so the
  // timeline buttons would act twice. The shortcut has already run on keydown.
  function onKeyUp(event) {
    if (event.key === " " && event.target.closest(".timeline button")) event.preventDefault();
  }

  function ensureLossChart(isLog, xLabel) {
    if (lossChart && lossChartLayout.isLog === isLog && lossChartLayout.xLabel === xLabel) return;
    lossChart?.destroy();
    lossChartLayout = { isLog, xLabel };
    lossChart = createLineChart(find(".loss-chart"), {
      xLabel,
      yLabel: isLog ? "loss (power of 10)" : "loss",
      series: [
        { label: "loss, all points", color: "#e66101" },
        { label: "mean batch loss", color: "#2c7bb6", dash: [5, 4] },
      ],
      heightCss: CURVE_HEIGHT_CSS - 40,
      // The legend gets null while the cursor is off the chart.
      formatValue: (value) => {
        if (value == null) return "-";
        return formatLoss(isLog ? 10 ** value : value);
      },
    });
  }

  function setLogScale(isLog) {
    logInput.checked = isLog;
    renderLoss();
  }

  renderLoss();

  speedInput.value = String(sliderPosition(SPEED_FIELD, DEFAULT_SPEED));
  find(".speed-output").textContent = formatNumber(DEFAULT_SPEED);
  speedInput.addEventListener("input", () => {
    find(".speed-output").textContent = formatNumber(currentSpeed());
    if (view.setup) socket.send(CONTROL.SPEED, { steps_per_second: currentSpeed() });
  });
  frameInput.addEventListener("input", () => seek(Number(frameInput.value)));
  logInput.addEventListener("change", () => setLogScale(logInput.checked));
  buttons.run.addEventListener("click", start);
  buttons.play.addEventListener("click", togglePlay);
  buttons.prev.addEventListener("click", () => stepBy(-1));
  buttons.next.addEventListener("click", () => stepBy(1));
  suggestionButton.addEventListener("click", () => {
    if (suggestion) runWith(suggestion.params);
  });
  root.querySelectorAll("button[data-preset-rate]").forEach((button) => {
    button.addEventListener("click", () => runWith({ learning_rate: Number(button.dataset.presetRate) }));
  });
  window.addEventListener("keydown", onKeyDown);
  window.addEventListener("keyup", onKeyUp);
  const resizeObserver = new ResizeObserver(() => render());
  resizeObserver.observe(find(".curve-wrap"));

  getJson("/api/gradient-descent/parameters")
    .then((schema) => {
      if (!isMounted) return;
      fields = describeFields(schema);
      form = createSchemaForm(find("form.settings"), fields, {
        onChange: (values, name) => {
          writeHashValues(values);
          if (HIDDEN_FIELDS.includes(name)) preview();
        },
      });
      form.setValues({ ...defaultValues(fields), ...readHashValues(fields) });
      updateControls();
      // Show the data and the untrained network at once; Play continues from there.
      start({ autoplay: false });
    })
    .catch((error) => {
      if (isMounted) showMessage("error", `Could not load the lesson settings: ${error.message}`);
    });

  return () => {
    isMounted = false;
    window.removeEventListener("keydown", onKeyDown);
    window.removeEventListener("keyup", onKeyUp);
    resizeObserver.disconnect();
    socket.close();
    lossChart?.destroy();
  };
}
