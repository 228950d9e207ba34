import { ApiError, getJson, postJson } from "../../api/rest.js";
import { writeHashValues } from "../../state/hashState.js";
import {
  LIMITS,
  addToGallery,
  describeLookup,
  describeResolution,
  describeStatus,
  describeWordNet,
  drawingBlockedReason,
  formatMilliseconds,
  linkProblems,
  parseInteger,
  readSettings,
  resolutionDetail,
  settingsFromForm,
  settingsToHash,
  unresolvedEndsText,
} from "./model.js";
import { TEMPLATE } from "./template.js";
import "./biggan.css";

// Status polls: every second while the model loads, less often while the worker
// is down or has no model, so that the page notices when a teacher fixes it.
const STATUS_POLL_MS = { loading: 1000, down: 3000, unavailable: 10000 };
// Typing resolves the label once the student pauses this long.
const RESOLVE_DELAY_MS = 350;
// A look-up that takes longer than this shows "looking up ..." in place of the
// previous class, so that a quick one does not make the line flicker.
const LOOKUP_TEXT_DELAY_MS = 150;
const NOT_READY_TEXT = "The image model is not ready, see the note at the top.";

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
  let lookupTimer = null;
  // The label whose "looking up ..." line is shown, or null.
  let lookupLabel = null;
  // WordNet state from the last status: "on", "off", "loading", or null.
  let wordnetState = null;
  // The link's problems not yet fixed in the form, as { field, text }.
  let linkWarnings = linkProblems(window.location.hash);
  let isLinkWarningShown = false;
  let statusTimer = null;
  // Model state from describeStatus; null until the first status arrives.
  let modelKind = null;
  let isDrawing = false;
  let isInterpolating = false;
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
    if (role === "message") isLinkWarningShown = false;
    const element = find(`[data-role="${role}"]`);
    element.className = kind ? `message ${kind}` : "message";
    element.textContent = text;
  }

  function showLinkWarnings() {
    setMessage("message", linkWarnings.map((problem) => problem.text).join(" "), linkWarnings.length ? "warning" : "");
    isLinkWarningShown = linkWarnings.length > 0;
  }

  /** Drops the link's warning about `field` once the student has edited that field. */
  function dropLinkWarning(field) {
    const remaining = linkWarnings.filter((problem) => problem.field !== field);
    if (remaining.length === linkWarnings.length) return;
    linkWarnings = remaining;
    if (isLinkWarningShown) showLinkWarnings();
  }

  function describeError(error) {
    if (error instanceof ApiError) return error.message;
    return `The server could not be reached: ${error.message}`;
  }

  // Model status

  function showStatus(summary, wordnet) {
    const kinds = { ready: "", loading: "", down: "warning", unavailable: "error" };
    const banner = find('[data-role="status"]');
    banner.className = `message status ${kinds[summary.kind]}`.trim();
    const text = [summary.text, wordnet?.text].filter(Boolean).join(" ");
    const textElement = find('[data-role="status-text"]');
    // Polls repeat the same text; rewriting it would make screen readers announce it again.
    if (textElement.textContent !== text) textElement.textContent = text;
    const details = [...summary.details, wordnet?.detail].filter(Boolean);
    find('[data-role="status-details"]').hidden = details.length === 0;
    const list = find('[data-role="status-detail-list"]');
    if (list.textContent === details.join("")) return;
    list.replaceChildren(
      ...details.map((line) => {
        const item = document.createElement("li");
        item.textContent = line;
        return item;
      }),
    );
  }

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
    showStatus(summary, describeWordNet(status.wordnet));
    wordnetState = status.wordnet?.state ?? null;
    if (lookupLabel !== null) showLookup(lookupLabel);
    root.dataset.modelState = summary.kind;
    modelKind = summary.kind;
    updateButtons();
    const pollMs = STATUS_POLL_MS[summary.kind];
    if (pollMs) statusTimer = setTimeout(refreshStatus, pollMs);
  }

  /** Enables the drawing buttons only while the model is ready and no request runs. */
  function updateButtons() {
    const reason = drawingBlockedReason(modelKind);
    buttons.generate.disabled = Boolean(reason) || isDrawing;
    buttons.random.disabled = Boolean(reason) || isDrawing;
    buttons.interpolate.disabled = Boolean(reason) || isInterpolating;
    for (const role of ["draw-blocked", "interpolate-blocked"]) {
      const hint = find(`[data-role="${role}"]`);
      hint.textContent = reason;
      hint.hidden = !reason;
    }
  }

  // Label resolution

  function showLookup(label) {
    lookupLabel = label;
    const lookup = describeLookup(label, wordnetState);
    find('[data-role="resolved"]').textContent = lookup.text;
    find('[data-role="resolved-detail"]').textContent = lookup.detail;
    find(".candidates-field").hidden = true;
    showSuggestions([]);
  }

  function endLookup() {
    clearTimeout(lookupTimer);
    lookupLabel = null;
  }

  function showResolution(result) {
    endLookup();
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

  /** Shows that no class matched; `result` has the message and any suggestions. */
  function showNotFound(result) {
    endLookup();
    resolution = null;
    find('[data-role="resolved"]').textContent = "no matching class";
    find('[data-role="resolved-detail"]').textContent = result?.message ?? "";
    find(".candidates-field").hidden = true;
    showSuggestions(result?.suggestions ?? []);
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
          saveFormToHash();
          resolveNow();
        });
        return button;
      }),
    );
  }

  /**
   * Resolves `label`. A label is sent to the batch endpoint, which returns a
   * label without a class as a result with suggestions instead of HTTP 404,
   * so a typo is no failed request in the browser console. A picked
   * candidate is resolved too, so that the path and gloss describe it.
   */
  async function fetchResolution(label, seed) {
    if (chosenClass !== null) {
      const body = { label, candidate: chosenClass };
      if (Number.isInteger(seed)) body.seed = seed;
      return postJson("/api/biggan/resolve", body);
    }
    const body = Number.isInteger(seed) ? { labels: [label], seed } : { labels: [label] };
    const result = await postJson("/api/biggan/resolve/batch", body);
    return result.results[0];
  }

  /** Resolves the typed label and shows the outcome; returns the resolution, or null. */
  async function resolveNow() {
    clearTimeout(resolveTimer);
    const label = inputs.label.value.trim();
    const request = ++resolveRequest;
    if (!label) {
      showNotFound({ message: "Type a word, such as soap bubble." });
      return null;
    }
    const seed = parseInteger(inputs.seed.value, LIMITS.seed);
    endLookup();
    // A picked candidate already shows its name while its details load.
    if (chosenClass === null) {
      const isLineEmpty = find('[data-role="resolved"]').textContent === "";
      lookupTimer = setTimeout(() => showLookup(label), isLineEmpty ? 0 : LOOKUP_TEXT_DELAY_MS);
    }
    try {
      const result = await fetchResolution(label, seed);
      // The server returns a look-up only after WordNet has loaded.
      if (wordnetState === "loading") wordnetState = null;
      if (request === resolveRequest && !unmounted) {
        if (result.found) showResolution(result);
        else showNotFound(result);
      }
      return result;
    } catch (error) {
      if (request === resolveRequest && !unmounted) showNotFound({ message: describeError(error) });
      return null;
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

  /** Stores the form's settings in the URL hash, leaving out invalid numbers. */
  function saveFormToHash() {
    const settings = settingsFromForm({
      label: inputs.label.value,
      truncation: inputs.truncation.value,
      seed: inputs.seed.value,
      count: inputs.count.value,
      fromLabel: inputs.from.value,
      toLabel: inputs.to.value,
      steps: inputs.steps.value,
    });
    writeHashValues(settingsToHash(settings));
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

  function describeDrawError(error) {
    return error instanceof ApiError && error.status === 503 ? NOT_READY_TEXT : describeError(error);
  }

  async function drawSamples(body, typedLabel) {
    isDrawing = true;
    updateButtons();
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
      if (error instanceof ApiError && error.status === 404) showNotFound(error.body?.detail?.resolution);
      setMessage("message", describeDrawError(error), "warning");
      if (error.status === 503) refreshStatus();
    } finally {
      isDrawing = false;
      if (!unmounted) updateButtons();
    }
  }

  async function generate(event) {
    event?.preventDefault();
    if (buttons.generate.disabled) return;
    let settings;
    try {
      settings = readForm();
    } catch (error) {
      setMessage("message", error.message, "warning");
      return;
    }
    saveFormToHash();
    if (chosenClass === null) {
      // The label is checked first, so that a word without a class gets the
      // suggestions instead of a failed request.
      const checked = await resolveNow();
      if (unmounted) return;
      if (!checked?.found) {
        setMessage("message", "Type a word that names a class, or pick one of the suggestions.", "warning");
        return;
      }
    }
    const body = { truncation: settings.truncation, count: settings.count };
    if (settings.seed !== null) body.seed = settings.seed;
    if (chosenClass !== null) body.class_index = chosenClass;
    else body.label = settings.label;
    await drawSamples(body, settings.label || resolution?.name || "");
  }

  async function generateRandom() {
    if (buttons.random.disabled) return;
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
      saveFormToHash();
      const body = { class_index: picked.resolution.index, truncation: settings.truncation, count: settings.count };
      if (settings.seed !== null) body.seed = settings.seed;
      await drawSamples(body, picked.resolution.name);
    } catch (error) {
      if (!unmounted) setMessage("message", describeError(error), "warning");
    }
  }

  async function interpolate(event) {
    event.preventDefault();
    if (buttons.interpolate.disabled) return;
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
    saveFormToHash();
    isInterpolating = true;
    updateButtons();
    try {
      await drawInterpolation(steps, settings);
    } finally {
      isInterpolating = false;
      if (!unmounted) updateButtons();
    }
  }

  async function drawInterpolation(steps, settings) {
    const seed = settings.seed ?? 0;
    const body = {
      start: { label: inputs.from.value.trim(), seed },
      end: { label: inputs.to.value.trim(), seed: seed + 1 },
      steps,
      truncation: settings.truncation,
    };
    setMessage("interpolation-message", "Drawing...");
    try {
      const check = await postJson("/api/biggan/resolve/batch", {
        labels: [body.start.label, body.end.label],
      });
      const problem = unresolvedEndsText(check.results);
      if (unmounted) return;
      if (problem) {
        setMessage("interpolation-message", problem, "warning");
        return;
      }
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
      if (unmounted) return;
      setMessage("interpolation-message", describeDrawError(error), "warning");
      if (error.status === 503) refreshStatus();
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
  // The hash follows every edit, so that a reload or a copied link keeps the form.
  for (const settingsForm of [form, interpolationForm]) {
    settingsForm.addEventListener("input", (event) => {
      if (event.target.name === "candidate") return;
      saveFormToHash();
      dropLinkWarning(event.target.name);
    });
  }

  updateButtons();
  refreshStatus();
  resolveNow();
  if (linkWarnings.length > 0) showLinkWarnings();

  return () => {
    unmounted = true;
    clearTimeout(statusTimer);
    clearTimeout(resolveTimer);
    clearTimeout(lookupTimer);
    delete root.dataset.modelState;
  };
}
