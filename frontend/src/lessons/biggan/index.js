import { ApiError, getJson, postJson } from "../../api/rest.js";
import { writeHashValues } from "../../state/hashState.js";
import {
  LIMITS,
  addToGallery,
  describeResolution,
  describeStatus,
  formatMilliseconds,
  parseInteger,
  readSettings,
  resolutionDetail,
  settingsToHash,
} from "./model.js";
import { TEMPLATE } from "./template.js";
import "./biggan.css";

// Status polls: every second while the model loads, less often while the worker is down.
const LOADING_POLL_MS = 1000;
const DOWN_POLL_MS = 3000;
const RESOLVE_DELAY_MS = 350;

export function mount(root) {
  root.innerHTML = TEMPLATE;
  const find = (selector) => root.querySelector(selector);
  const form = find("form.biggan-form");
  const interpolationForm = find("form.interpolation-form");
  const inputs = {
    label: form.elements.label,
    truncation: form.elements.truncation,
    seed: form.elements.seed,
    count: form.elements.count,
    candidate: form.elements.candidate,
    from: interpolationForm.elements.from,
    to: interpolationForm.elements.to,
    steps: interpolationForm.elements.steps,
  };
  const buttons = {
    generate: find('[data-action="generate"]'),
    random: find('[data-action="random"]'),
    interpolate: find('[data-action="interpolate"]'),
  };

  let gallery = [];
  let resolution = null;
  // A candidate class the student picked from the list; null: let the label decide.
  let chosenClass = null;
  let resolveTimer = null;
  let resolveRequest = 0;
  let statusTimer = null;
  let unmounted = false;

  const initial = readSettings(window.location.hash);
  inputs.label.value = initial.label;
  inputs.truncation.value = String(initial.truncation);
  inputs.seed.value = initial.seed === null ? "" : String(initial.seed);
  inputs.count.value = String(initial.count);
  inputs.from.value = initial.fromLabel;
  inputs.to.value = initial.toLabel;
  inputs.steps.value = String(initial.steps);
  showTruncation();

  // Messages

  function setMessage(role, text, kind = "") {
    const element = find(`[data-role="${role}"]`);
    element.className = kind ? `message ${kind}` : "message";
    element.textContent = text;
  }

  function describeError(error) {
    if (error instanceof ApiError) return error.message;
    return `The server could not be reached: ${error.message}`;
  }

  // Model status

  async function refreshStatus() {
    clearTimeout(statusTimer);
    statusTimer = null;
    let status;
    try {
      status = await getJson("/api/biggan/status");
    } catch (error) {
      status = { worker: { reachable: false, message: describeError(error) } };
    }
    if (unmounted) return;
    const summary = describeStatus(status);
    const progress = find(".model-progress");
    progress.hidden = summary.kind !== "loading";
    progress.value = summary.progress ?? 0;
    const kinds = { ready: "", loading: "", down: "warning", unavailable: "error" };
    let text = summary.text;
    if (status.wordnet?.state === "off") text += ` ${status.wordnet.message}`;
    setMessage("status", text, kinds[summary.kind]);
    root.dataset.modelState = summary.kind;
    if (summary.kind === "loading") statusTimer = setTimeout(refreshStatus, LOADING_POLL_MS);
    if (summary.kind === "down") statusTimer = setTimeout(refreshStatus, DOWN_POLL_MS);
  }

  // Label resolution

  function showResolution(result) {
    resolution = result;
    const picked = chosenClass !== null && result.index === chosenClass;
    find('[data-role="resolved"]').textContent = describeResolution(result, { picked });
    find('[data-role="resolved-detail"]').textContent = resolutionDetail(result, { picked });
    const candidatesField = find(".candidates-field");
    const candidates = result.candidates ?? [];
    candidatesField.hidden = candidates.length < 2;
    inputs.candidate.replaceChildren(
      ...candidates.map((choice) => {
        const option = document.createElement("option");
        option.value = String(choice.index);
        option.textContent = `${choice.name} (class ${choice.index})`;
        option.selected = choice.index === result.index;
        return option;
      }),
    );
    showSuggestions([]);
  }

  function showNotFound(detail) {
    resolution = null;
    find('[data-role="resolved"]').textContent = "no matching class";
    find('[data-role="resolved-detail"]').textContent = detail?.message ?? "";
    find(".candidates-field").hidden = true;
    showSuggestions(detail?.resolution?.suggestions ?? []);
  }

  function showSuggestions(suggestions) {
    const box = find(".suggestions");
    box.hidden = suggestions.length === 0;
    box.replaceChildren(
      ...suggestions.map((choice) => {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = choice.name;
        button.addEventListener("click", () => {
          inputs.label.value = choice.name;
          chosenClass = null;
          resolveNow();
        });
        return button;
      }),
    );
  }

  async function resolveNow() {
    clearTimeout(resolveTimer);
    const label = inputs.label.value.trim();
    const request = ++resolveRequest;
    if (!label) {
      showNotFound({ message: "Type a word, such as soap bubble." });
      return;
    }
    const seed = parseInteger(inputs.seed.value, LIMITS.seed);
    const body = Number.isInteger(seed) ? { label, seed } : { label };
    // A picked candidate is resolved too, so that the path and gloss describe it.
    if (chosenClass !== null) body.candidate = chosenClass;
    try {
      const result = await postJson("/api/biggan/resolve", body);
      if (request === resolveRequest && !unmounted) showResolution(result);
    } catch (error) {
      if (request !== resolveRequest || unmounted) return;
      if (error instanceof ApiError && error.status === 404) showNotFound(error.body?.detail);
      else showNotFound({ message: describeError(error) });
    }
  }

  function scheduleResolve() {
    clearTimeout(resolveTimer);
    resolveTimer = setTimeout(resolveNow, RESOLVE_DELAY_MS);
  }

  // Drawing

  function readForm() {
    const truncation = Number(inputs.truncation.value);
    const seed = parseInteger(inputs.seed.value, LIMITS.seed);
    const count = parseInteger(inputs.count.value, LIMITS.count);
    if (Number.isNaN(seed)) throw new Error(`Seed must be a whole number from 0 to ${LIMITS.seed.maximum}.`);
    if (!Number.isInteger(count)) throw new Error("Images must be a whole number from 1 to 16.");
    return { label: inputs.label.value.trim(), truncation, seed, count };
  }

  function saveHash(settings) {
    writeHashValues(
      settingsToHash({
        ...settings,
        fromLabel: inputs.from.value.trim(),
        toLabel: inputs.to.value.trim(),
        steps: Number(inputs.steps.value),
      }),
    );
  }

  function imageFigure(entry) {
    const figure = document.createElement("figure");
    const image = document.createElement("img");
    image.src = `data:image/png;base64,${entry.png}`;
    image.alt = `${entry.className}, seed ${entry.seed}`;
    const caption = document.createElement("figcaption");
    const title = document.createElement("strong");
    title.textContent = entry.className;
    caption.append(title, document.createElement("br"), entry.caption);
    figure.append(image, caption);
    return figure;
  }

  function renderGallery() {
    find('[data-role="gallery"]').replaceChildren(...gallery.map(imageFigure));
  }

  function setBusy(busy) {
    buttons.generate.disabled = busy;
    buttons.random.disabled = busy;
  }

  async function drawSamples(body, typedLabel) {
    setBusy(true);
    setMessage("message", "Drawing...");
    try {
      const result = await postJson("/api/biggan/samples", body);
      if (unmounted) return;
      // A class chosen by index (a picked candidate, a random class) is already on screen.
      if (body.class_index === undefined) showResolution(result.resolution);
      const entries = result.images.map((image) => ({
        png: image.png_base64,
        className: result.resolution.name,
        seed: image.seed,
        caption: `"${typedLabel}", seed ${image.seed}, truncation ${result.truncation}`,
      }));
      find('[data-role="latest"]').replaceChildren(...entries.map(imageFigure));
      gallery = addToGallery(gallery, entries);
      renderGallery();
      const timing = result.timings;
      find('[data-role="timings"]').textContent =
        `Class ${result.resolution.index}, seed ${result.seed}: ${formatMilliseconds(timing.total_ms)} in all, ` +
        `${formatMilliseconds(timing.forward_ms)} in the generator, batch of ${Math.max(...timing.batch_sizes)}.`;
      setMessage("message", "");
    } catch (error) {
      if (unmounted) return;
      if (error instanceof ApiError && error.status === 404) showNotFound(error.body?.detail);
      setMessage("message", describeError(error), error.status === 503 ? "error" : "warning");
      if (error.status === 503) refreshStatus();
    } finally {
      if (!unmounted) setBusy(false);
    }
  }

  async function generate(event) {
    event?.preventDefault();
    let settings;
    try {
      settings = readForm();
    } catch (error) {
      setMessage("message", error.message, "warning");
      return;
    }
    saveHash(settings);
    const body = { truncation: settings.truncation, count: settings.count };
    if (settings.seed !== null) body.seed = settings.seed;
    if (chosenClass !== null) body.class_index = chosenClass;
    else body.label = settings.label;
    await drawSamples(body, settings.label || resolution?.name || "");
  }

  async function generateRandom() {
    let settings;
    try {
      settings = readForm();
    } catch (error) {
      setMessage("message", error.message, "warning");
      return;
    }
    try {
      const picked = await getJson("/api/biggan/random-label");
      if (unmounted) return;
      inputs.label.value = picked.resolution.name;
      chosenClass = null;
      showResolution(picked.resolution);
      saveHash({ ...settings, label: picked.resolution.name });
      const body = { class_index: picked.resolution.index, truncation: settings.truncation, count: settings.count };
      if (settings.seed !== null) body.seed = settings.seed;
      await drawSamples(body, picked.resolution.name);
    } catch (error) {
      if (!unmounted) setMessage("message", describeError(error), "warning");
    }
  }

  async function interpolate(event) {
    event.preventDefault();
    const steps = parseInteger(inputs.steps.value, LIMITS.steps);
    if (!Number.isInteger(steps)) {
      setMessage("interpolation-message", "Steps must be a whole number from 2 to 10.", "warning");
      return;
    }
    let settings;
    try {
      settings = readForm();
    } catch (error) {
      setMessage("interpolation-message", error.message, "warning");
      return;
    }
    saveHash(settings);
    const seed = settings.seed ?? 0;
    const body = {
      start: { label: inputs.from.value.trim(), seed },
      end: { label: inputs.to.value.trim(), seed: seed + 1 },
      steps,
      truncation: settings.truncation,
    };
    buttons.interpolate.disabled = true;
    setMessage("interpolation-message", "Drawing...");
    try {
      const result = await postJson("/api/biggan/interpolate", body);
      if (unmounted) return;
      const figures = result.images.map((image) => {
        let caption = "mix of both";
        if (image.t === 0) caption = result.start.name;
        if (image.t === 1) caption = result.end.name;
        return imageFigure({ png: image.png_base64, className: `t = ${image.t.toFixed(2)}`, seed: "", caption });
      });
      find('[data-role="strip"]').replaceChildren(...figures);
      setMessage(
        "interpolation-message",
        `From ${result.start.name} (seed ${result.start_seed}) to ${result.end.name} (seed ${result.end_seed}).`,
      );
    } catch (error) {
      if (!unmounted) setMessage("interpolation-message", describeError(error), "warning");
    } finally {
      if (!unmounted) buttons.interpolate.disabled = false;
    }
  }

  function showTruncation() {
    find('[data-role="truncation"]').textContent = Number(inputs.truncation.value).toFixed(2);
  }

  form.addEventListener("submit", generate);
  interpolationForm.addEventListener("submit", interpolate);
  buttons.random.addEventListener("click", generateRandom);
  inputs.label.addEventListener("input", () => {
    chosenClass = null;
    scheduleResolve();
  });
  inputs.candidate.addEventListener("change", () => {
    chosenClass = Number(inputs.candidate.value);
    const choice = resolution?.candidates.find((candidate) => candidate.index === chosenClass);
    if (choice) find('[data-role="resolved"]').textContent = `${choice.name}, chosen from the candidates`;
    // The shown path and gloss describe the previous class, so clear them until the new ones arrive.
    find('[data-role="resolved-detail"]').textContent = "";
    resolveNow();
  });
  inputs.seed.addEventListener("change", () => {
    // The seed picks among the candidates, unless the student picked one.
    if (chosenClass === null) scheduleResolve();
  });
  inputs.truncation.addEventListener("input", showTruncation);

  refreshStatus();
  resolveNow();

  return () => {
    unmounted = true;
    clearTimeout(statusTimer);
    clearTimeout(resolveTimer);
  };
}
