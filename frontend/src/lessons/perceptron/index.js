import { CONTROL, EVENT } from "../../api/events.js";
import { describeSocketError } from "../../api/errors.js";
import { getJson } from "../../api/rest.js";
import { LessonSocket } from "../../api/socket.js";
import { createLineChart } from "../../charts/lineChart.js";
import { findInvalidHashKeys, readHashValues, writeHashValues } from "../../state/hashState.js";
import { createSchemaForm, formatNumber, sliderPosition, sliderValue } from "../../state/schemaForm.js";
import { describeFields } from "../../state/schemaFields.js";
import { formatActivation, runButtonLabel, weightColor } from "./model.js";
import { drawRegions } from "./regionView.js";
import { TEMPLATE } from "./template.js";
import "./perceptron.css";

const SPEED_FIELD = { minimum: 0.5, maximum: 200, scale: "log" };
const DEFAULT_SPEED = 8;
const PRESETS = {
  linear: { dataset: "linear", feature_engineering: false },
  xor: { dataset: "xor", feature_engineering: false, epochs: 20 },
  "xor-feature": { dataset: "xor", feature_engineering: true, epochs: 20 },
};

export function mount(root) {
  root.innerHTML = TEMPLATE;
  const find = (selector) => root.querySelector(selector);
  const canvas = find("canvas.regions");
  const message = find('[data-role="message"]');
  const speedInput = find('input[name="speed"]');
  const buttons = Object.fromEntries(
    [...root.querySelectorAll("button[data-action]")].map((button) => [button.dataset.action, button]),
  );

  let form = null;
  let fields = [];
  let weightsChart = null;
  // A warning to show with the next dataset, which otherwise clears the message.
  let notice = "";
  // Everything the view shows, rebuilt from events; `steps` maps step number to event.
  const view = { dataset: null, steps: new Map(), current: null, final: null, status: "ready" };

  const socket = new LessonSocket("/ws/perceptron", {
    onStatus: (status) => {
      find(".connection").textContent = status === "closed" ? "Connection lost; it reopens on the next action." : "";
    },
  });

  socket
    .on(EVENT.DATASET, (event) => {
      view.dataset = event;
      view.steps.clear();
      view.current = null;
      view.final = null;
      message.className = notice ? "message warning" : "message";
      message.textContent = notice;
      notice = "";
      rebuildWeightsTable(event.feature_names);
      render();
    })
    .on(EVENT.STEP, (event) => {
      view.steps.set(event.step, event);
      view.current = event;
      render();
    })
    .on(EVENT.DONE, (event) => {
      view.final = event.final;
      showFinalMessage(event.final);
      render();
    })
    .on(EVENT.STATE, (event) => {
      view.status = event.status;
      // Seeking back to the first event shows the initial weights.
      if (event.index === 0) view.current = null;
      updateButtons();
      render();
    })
    .on(EVENT.ERROR, (event) => {
      const labels = Object.fromEntries(fields.map((field) => [field.name, field.label]));
      const kept = view.dataset ? " The plot still shows the previous run." : "";
      message.className = "message error";
      message.textContent = describeSocketError(event, { labels }) + kept;
    });

  function currentParams() {
    return form.getValues();
  }

  function start({ autoplay = true } = {}) {
    const params = currentParams();
    writeHashValues(params);
    socket.send(CONTROL.START, { params, steps_per_second: currentSpeed(), autoplay });
  }

  function currentSpeed() {
    return sliderValue(SPEED_FIELD, Number(speedInput.value));
  }

  // A paused run at its first event shows the data and the initial weights,
  // so the page always has a run to step through. Reset starts a new one.
  function load() {
    start({ autoplay: false });
  }

  function togglePause() {
    if (view.status === "playing") socket.send(CONTROL.PAUSE);
    else if (view.status === "paused") socket.send(CONTROL.RESUME);
    else start();
  }

  function step() {
    if (view.status === "paused") socket.send(CONTROL.STEP);
  }

  function isAtStart() {
    return view.status === "paused" && !view.current;
  }

  function statusText() {
    if (isAtStart()) return "ready";
    return view.status === "playing" ? "running" : view.status;
  }

  function updateButtons() {
    const isActive = view.status === "playing" || view.status === "paused";
    buttons.pause.disabled = !isActive;
    buttons.pause.textContent = view.status === "paused" && !isAtStart() ? "Resume" : "Pause";
    buttons.step.disabled = view.status !== "paused";
    buttons.reset.disabled = isAtStart();
    buttons.run.textContent = runButtonLabel(view.status, isAtStart());
    form?.setDisabled(view.status === "playing");
  }

  function showFinalMessage(final) {
    const percent = Math.round(final.accuracy * 100);
    if (final.converged) {
      message.className = "message";
      message.textContent = `Converged after ${final.num_epochs} epoch(s): a full pass without a mistake, ${percent}% of the points correct.`;
    } else {
      message.className = "message warning";
      message.textContent = `Stopped after ${final.num_epochs} epoch(s) without converging: ${percent}% of the points correct. The rule was still correcting mistakes in the last epoch.`;
    }
  }

  function rebuildWeightsTable(featureNames) {
    const header = find(".weights-table thead tr");
    const row = find(".weights-table tbody tr");
    header.replaceChildren(...featureNames.map((name) => Object.assign(document.createElement("th"), { textContent: `w(${name})` })));
    row.replaceChildren(...featureNames.map((name) => Object.assign(document.createElement("td"), { className: "weight", textContent: "-" })));
    row.querySelectorAll("td").forEach((cell, index) => { cell.dataset.feature = featureNames[index]; });
    weightsChart?.destroy();
    weightsChart = createLineChart(find(".weights-chart"), {
      xLabel: "step",
      yLabel: "weight",
      series: featureNames.map((name) => ({ label: `w(${name})`, color: weightColor(name) })),
      heightCss: 180,
    });
  }

  function render() {
    const dataset = view.dataset;
    const current = view.current;
    const weights = current?.weights ?? dataset?.initial_weights ?? null;
    const sizeCss = Math.min(560, Math.max(280, find(".region-wrap").clientWidth));
    drawRegions(canvas, {
      points: dataset?.points ?? [],
      featureNames: dataset?.feature_names ?? null,
      weights,
      currentIndex: current?.sample_index ?? null,
      sizeCss,
    });
    setStat("epoch", current?.epoch ?? 0);
    setStat("step", current?.step ?? 0);
    setStat("mistakes", countMistakes(current));
    setStat("accuracy", view.final && isAtEnd() ? `${Math.round(view.final.accuracy * 100)}%` : "-");
    setStat("status", statusText());
    if (!dataset || !weights) return;
    find('[data-role="formula"]').textContent = `answer 1 when ${formatActivation(weights, dataset.feature_names)} > 0`;
    root.querySelectorAll(".weights-table td.weight").forEach((cell, index) => {
      cell.textContent = weights[index].toPrecision(4);
    });
    updateWeightsChart(dataset, current);
  }

  function isAtEnd() {
    return view.current && view.current.step === Math.max(...view.steps.keys());
  }

  function countMistakes(current) {
    if (!current) return 0;
    let count = 0;
    for (const event of view.steps.values()) {
      if (event.epoch === current.epoch && event.step <= current.step && event.changed) count += 1;
    }
    return count;
  }

  function updateWeightsChart(dataset, current) {
    if (!weightsChart) return;
    const lastStep = current?.step ?? 0;
    const xs = [0];
    const columns = dataset.initial_weights.map((weight) => [weight]);
    for (let stepNumber = 1; stepNumber <= lastStep; stepNumber += 1) {
      const event = view.steps.get(stepNumber);
      if (!event) continue;
      xs.push(stepNumber);
      event.weights.forEach((weight, index) => columns[index].push(weight));
    }
    weightsChart.setData(xs, ...columns);
  }

  function setStat(name, value) {
    find(`[data-stat="${name}"]`).textContent = String(value);
  }

  function applyPreset(name) {
    const fieldDefaults = Object.fromEntries(fields.map((field) => [field.name, field.defaultValue]));
    const values = { ...fieldDefaults, seed: form.getValues().seed, ...PRESETS[name] };
    form.setValues(fillDatasetDefaults(values));
    start();
  }

  function fillDatasetDefaults(values) {
    const filled = { ...values };
    for (const field of fields) {
      if (field.datasetDefaults && (filled[field.name] == null)) {
        filled[field.name] = field.datasetDefaults[filled.dataset];
      }
    }
    return filled;
  }

  function onKeyDown(event) {
    if (event.target.closest("input, select, textarea")) return;
    if (event.key === " ") {
      event.preventDefault();
      togglePause();
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      step();
    }
  }

  speedInput.value = String(sliderPosition(SPEED_FIELD, DEFAULT_SPEED));
  find(".speed-output").textContent = formatNumber(DEFAULT_SPEED);
  speedInput.addEventListener("input", () => {
    find(".speed-output").textContent = formatNumber(currentSpeed());
    if (view.status === "playing" || view.status === "paused") {
      socket.send(CONTROL.SPEED, { steps_per_second: currentSpeed() });
    }
  });
  buttons.run.addEventListener("click", () => start());
  buttons.pause.addEventListener("click", togglePause);
  buttons.step.addEventListener("click", step);
  buttons.reset.addEventListener("click", load);
  root.querySelectorAll("button[data-preset]").forEach((button) => {
    button.addEventListener("click", () => applyPreset(button.dataset.preset));
  });
  window.addEventListener("keydown", onKeyDown);
  const resizeObserver = new ResizeObserver(() => render());
  resizeObserver.observe(find(".region-wrap"));

  // Nothing can start before the settings form exists.
  const presetButtons = [...root.querySelectorAll("button[data-preset]")];
  for (const button of [...Object.values(buttons), ...presetButtons]) button.disabled = true;

  getJson("/api/perceptron/parameters")
    .then((schema) => {
      fields = describeFields(schema);
      form = createSchemaForm(find("form.settings"), fields, {
        onChange: (values, name) => {
          if (name === "dataset") {
            // A new dataset brings its own noise level and bias default.
            form.setValues(fillDatasetDefaults({ ...values, data_std: null, bias: null }));
          }
          // Show the new data and initial weights at once.
          load();
        },
      });
      const fromHash = readHashValues(fields);
      form.setValues(fillDatasetDefaults({ ...Object.fromEntries(fields.map((field) => [field.name, field.defaultValue])), ...fromHash }));
      const invalid = findInvalidHashKeys(fields);
      if (invalid.length > 0) {
        const labels = invalid.map((name) => fields.find((field) => field.name === name).label);
        notice = `The link had invalid values for ${labels.join(", ")}; the defaults are used instead.`;
      }
      buttons.run.disabled = false;
      for (const button of presetButtons) button.disabled = false;
      load();
    })
    .catch((error) => {
      message.className = "message error";
      message.textContent = `Could not load the lesson settings: ${error.message}`;
    });

  return () => {
    window.removeEventListener("keydown", onKeyDown);
    resizeObserver.disconnect();
    socket.close();
    weightsChart?.destroy();
  };
}
