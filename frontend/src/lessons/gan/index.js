import { describeRequestError } from "../../api/errors.js";
import { getJson, postJson } from "../../api/rest.js";
import { socketUrl } from "../../api/socket.js";
import { createLineChart } from "../../charts/lineChart.js";
import { describeFields } from "../../state/schemaFields.js";
import { createSchemaForm } from "../../state/schemaForm.js";
import { renderArchitecture } from "./architectureView.js";
import {
  ACTIVE_STATUSES,
  RESUMABLE_STATUSES,
  activeRuns,
  applyEvent,
  applyRun,
  createRunView,
  describeBatchSize,
  describeBusyServer,
  describeLossCurves,
  describeMissingRun,
  epochNumbers,
  followedRunId,
  formatDuration,
  lossColumns,
  nextShownEpoch,
  runFraction,
  visibleRuns,
} from "./model.js";
import { createSampleImage } from "./sampleImage.js";
import { describeAllowedValues, emptyFieldPlaceholder } from "./settingsHints.js";
import { TEMPLATE } from "./template.js";
import "./gan.css";

const TOKEN_STORAGE_KEY = "annlab.teacherToken";
const RUNS_REFRESH_MS = 5000;
const RECONNECT_DELAY_MS = 2000;
// Runs listed before "Show all runs" is pressed.
const RUN_LIST_LIMIT = 6;
// WebSocket close code the server sends for an unknown run.
const CLOSE_RUN_NOT_FOUND = 4404;
const GENERATOR_COLOR = "#e66101";
const DISCRIMINATOR_COLOR = "#2c7bb6";
// Sources of the teacher token, as the README describes them.
const TOKEN_SOURCE =
  "The server prints it in its log at start-up and saves it in the file teacher_token " +
  "in its data folder. A server started with ANNLAB_TEACHER_TOKEN uses that value instead.";
const TOKEN_MISSING_TEXT = `Enter the teacher token first. ${TOKEN_SOURCE}`;
const TOKEN_REJECTED_TEXT =
  `The server rejected this teacher token. Enter the right one and press Save token. ${TOKEN_SOURCE}`;
// Placeholders of the sample grid and the loss chart without a run to show.
const NO_RUN_TEXT = {
  samples: "No run yet. The first images appear after the first epoch of a run.",
  losses: "No run yet. The losses appear here after the first epoch of a run.",
  missing: "No run to show.",
};
const STATUS_TEXT = {
  queued: "Waiting for a free training slot on the server.",
  stopped: "Stopped by the teacher. Resume continues from the last complete epoch.",
};

/** Reads the run id from a hash such as "#run=3f2a9c1b7d4e"; null when absent. */
function runIdFromHash() {
  return new URLSearchParams(window.location.hash.replace(/^#/, "")).get("run");
}

export function mount(root) {
  root.innerHTML = TEMPLATE;
  const find = (selector) => root.querySelector(selector);
  const tokenInput = find('input[name="teacher-token"]');
  const slider = find('input[name="epoch"]');
  const image = find("img.sample-grid");
  const sampleImage = createSampleImage(image);
  const runMessage = find('[data-role="run-message"]');
  const teacherMessage = find('[data-role="teacher-message"]');
  const buttons = Object.fromEntries(
    [...root.querySelectorAll("button[data-action]")].map((button) => [button.dataset.action, button]),
  );
  const lossChart = createLineChart(find(".loss-chart"), {
    xLabel: "epoch",
    yLabel: "loss",
    series: [
      { label: "generator (test)", color: GENERATOR_COLOR },
      { label: "discriminator (test)", color: DISCRIMINATOR_COLOR },
      { label: "generator (training)", color: GENERATOR_COLOR, dash: [6, 4] },
      { label: "discriminator (training)", color: DISCRIMINATOR_COLOR, dash: [6, 4] },
    ],
    heightCss: 260,
  });

  let form = null;
  // Field descriptions of the run settings, from the server's schema.
  let fields = [];
  let runs = [];
  let view = null;
  let socket = null;
  let shownEpoch = null;
  let reconnectTimer = null;
  let runsExpanded = false;
  // True while a start request (or the check before it) is in flight.
  let starting = false;
  let disposed = false;

  // Teacher token: kept in this browser only, sent as a bearer token.

  function storedToken() {
    return window.localStorage.getItem(TOKEN_STORAGE_KEY) ?? "";
  }

  function showTokenState(savedText = "A token is saved in this browser.") {
    find(".token-state").textContent = storedToken()
      ? savedText
      : "Students need no token: watching is open to everyone.";
  }

  /** Saves the typed token and clears the message about the previous one. */
  function saveToken(event) {
    event.preventDefault();
    const token = tokenInput.value.trim();
    if (!token) {
      showMessage(teacherMessage, TOKEN_MISSING_TEXT, "error");
      tokenInput.focus();
      return;
    }
    window.localStorage.setItem(TOKEN_STORAGE_KEY, token);
    showMessage(teacherMessage, "", "");
    showTokenState("Token saved in this browser.");
  }

  function forgetToken() {
    window.localStorage.removeItem(TOKEN_STORAGE_KEY);
    tokenInput.value = "";
    showMessage(teacherMessage, "", "");
    showTokenState();
  }

  function currentToken() {
    const typed = tokenInput.value.trim();
    if (typed && typed !== storedToken()) window.localStorage.setItem(TOKEN_STORAGE_KEY, typed);
    showTokenState();
    return typed || storedToken();
  }

  /** Sends a teacher request; on failure shows why, starting with `action`, and returns null. */
  async function teacherRequest(path, body, action) {
    showMessage(teacherMessage, "", "");
    try {
      return await postJson(path, body, { token: currentToken() });
    } catch (error) {
      let text = error.message;
      if (error.status === 401) text = TOKEN_MISSING_TEXT;
      if (error.status === 403) text = TOKEN_REJECTED_TEXT;
      if (error.status === 422 && Array.isArray(error.body?.errors)) {
        const labels = Object.fromEntries(fields.map((field) => [field.name, field.label]));
        text = describeRequestError(error.body, { labels, action });
      }
      showMessage(teacherMessage, text, "error");
      if (error.status === 401 || error.status === 403) tokenInput.focus();
      return null;
    }
  }

  // Starting: a second run while one trains only waits in the queue, so the
  // teacher confirms it first.

  async function requestStart() {
    hideStartConfirmation();
    // Without a token the server rejects the request, and its error response explains why.
    if (!currentToken()) {
      await whileStarting(startRun);
      return;
    }
    await whileStarting(async () => {
      const listed = await loadRuns();
      if (disposed) return;
      const active = activeRuns(listed ?? []);
      if (active.length > 0) showStartConfirmation(active);
      else await startRun();
    });
  }

  async function confirmStart() {
    hideStartConfirmation();
    await whileStarting(startRun);
  }

  async function whileStarting(action) {
    if (starting) return;
    starting = true;
    buttons.start.disabled = true;
    try {
      await action();
    } finally {
      starting = false;
      if (!disposed) buttons.start.disabled = false;
    }
  }

  function showStartConfirmation(active) {
    find('[data-role="confirm-start-text"]').textContent =
      `${describeBusyServer(active)} Queue another run anyway?`;
    find(".confirm-start").hidden = false;
    buttons["cancel-start"].focus();
  }

  function hideStartConfirmation() {
    find(".confirm-start").hidden = true;
  }

  async function startRun() {
    const run = await teacherRequest("/api/gan/runs", form ? form.getValues() : {}, "Could not start the run");
    if (!run || disposed) return;
    const ahead = activeRuns(runs).filter((other) => other.id !== run.id);
    showMessage(
      teacherMessage,
      ahead.length > 0
        ? `Run ${run.id} is queued. It starts when the runs ahead of it end.`
        : `Run ${run.id} started.`,
      "",
    );
    followTrainingRun();
  }

  async function stopRun() {
    if (!view) return;
    const run = await teacherRequest(`/api/gan/runs/${view.runId}/stop`, undefined, "Could not stop the run");
    if (run && view?.runId === run.id) showRunSummary(run);
    refreshRuns();
  }

  async function resumeRun() {
    if (!view) return;
    const run = await teacherRequest(`/api/gan/runs/${view.runId}/resume`, undefined, "Could not resume the run");
    if (run && view?.runId === run.id) showRunSummary(run);
    refreshRuns();
  }

  // The watched run: REST for the first picture, then the WebSocket stream.

  function openRun(runId) {
    if (view?.runId === runId) return;
    closeSocket();
    view = createRunView(runId);
    shownEpoch = null;
    sampleImage.clear();
    showMessage(runMessage, "", "");
    getJson(`/api/gan/runs/${runId}`)
      .then((loaded) => {
        if (disposed || view?.runId !== runId) return;
        showRunSummary(loaded);
      })
      .catch((error) => {
        if (disposed || view?.runId !== runId) return;
        if (error.status === 404) view.notFound = true;
        else view.loadError = error.message;
        // Let the stream's events show images instead.
        view.loaded = true;
        render();
      });
    connect(runId);
    renderRunList();
    render();
  }

  /** Applies the REST summary of the watched run, which may add several epochs at once. */
  function showRunSummary(run) {
    const previousNewest = newestEpoch();
    applyRun(view, run);
    shownEpoch = nextShownEpoch(shownEpoch, previousNewest, newestEpoch());
    render();
  }

  function connect(runId) {
    const connection = new WebSocket(socketUrl(`/ws/gan/runs/${runId}`));
    socket = connection;
    connection.addEventListener("open", () => {
      if (connection === socket) setConnection("");
    });
    connection.addEventListener("message", (message) => {
      if (connection === socket && !disposed) onEvent(JSON.parse(message.data));
    });
    connection.addEventListener("close", (event) => {
      if (connection !== socket || disposed) return;
      if (event.code === CLOSE_RUN_NOT_FOUND) {
        view.notFound = true;
        render();
        return;
      }
      setConnection("Connection to the server lost; reconnecting...");
      reconnectTimer = window.setTimeout(() => {
        if (view?.runId === runId && !disposed) connect(runId);
      }, RECONNECT_DELAY_MS);
    });
  }

  function closeSocket() {
    window.clearTimeout(reconnectTimer);
    const connection = socket;
    socket = null;
    if (!connection) return;
    // Closing a socket that is still connecting makes the browser log an
    // error, so such a socket is closed as soon as it opens.
    if (connection.readyState === WebSocket.CONNECTING) {
      connection.addEventListener("open", () => connection.close());
    } else {
      connection.close();
    }
  }

  function onEvent(event) {
    if (event.type === "error") {
      showMessage(runMessage, event.message, "error");
      return;
    }
    if (!view) return;
    const previousNewest = newestEpoch();
    const change = applyEvent(view, event);
    if (change === "epoch") shownEpoch = nextShownEpoch(shownEpoch, previousNewest, newestEpoch());
    if (change === "status") refreshRuns();
    if (change) render();
  }

  function newestEpoch() {
    const numbers = epochNumbers(view);
    return numbers.length ? numbers[numbers.length - 1] : null;
  }

  // Drawing.

  function render() {
    if (disposed || !view) return;
    const progress = view.progress;
    const isActive = ACTIVE_STATUSES.includes(view.status);
    const currentEpoch = progress && isActive ? progress.epoch : view.epochsDone;
    const lastEpoch = view.epochs.get(newestEpoch());
    setStat("run", view.runId);
    setStat("status", view.status ?? (view.notFound ? "not found" : "-"));
    setStat("epoch", view.epochsTotal == null ? "-" : `${currentEpoch} of ${view.epochsTotal}`);
    setStat("batch", progress && isActive ? `${progress.batch} of ${progress.batches_per_epoch}` : "-");
    setStat("epoch-time", lastEpoch ? formatDuration(lastEpoch.seconds) : "-");
    setStat("eta", progress && isActive ? formatDuration(progress.eta_seconds) : "-");
    setStat("device", view.device ?? "-");

    const percent = Math.round(runFraction(view) * 100);
    find(".progress-fill").style.width = `${percent}%`;
    find(".progress-bar").setAttribute("aria-valuenow", String(percent));
    showRunMessage();
    renderSamples();
    renderLosses();
    buttons.stop.disabled = !isActive;
    buttons.resume.disabled = !RESUMABLE_STATUSES.includes(view.status);
    find('[data-role="batch-size"]').textContent = describeBatchSize(view.params);
  }

  /** Closes the watched run and shows the page as it is before any run exists. */
  function clearRun() {
    closeSocket();
    view = null;
    shownEpoch = null;
    sampleImage.clear();
    for (const stat of root.querySelectorAll("[data-stat]")) stat.textContent = "-";
    find(".progress-fill").style.width = "0%";
    find(".progress-bar").setAttribute("aria-valuenow", "0");
    showMessage(runMessage, "", "");
    slider.disabled = true;
    image.hidden = true;
    find('[data-role="shown-epoch"]').textContent = "-";
    find(".sample-empty").hidden = false;
    find(".sample-empty").textContent = NO_RUN_TEXT.samples;
    find(".loss-chart").hidden = true;
    find(".loss-empty").hidden = false;
    find(".loss-empty").textContent = NO_RUN_TEXT.losses;
    find('[data-role="loss-hint"]').textContent = describeLossCurves(null);
    find('[data-role="batch-size"]').textContent = "";
    buttons.stop.disabled = true;
    buttons.resume.disabled = true;
  }

  function showRunMessage() {
    if (view.notFound) {
      showMessage(runMessage, describeMissingRun(view.runId, runs.length), "error");
    } else if (view.status == null && view.loadError) {
      showMessage(runMessage, view.loadError, "error");
    } else if (view.status === "failed") {
      showMessage(runMessage, `The run failed. ${view.reason ?? ""}`, "error");
    } else if (view.status === "interrupted") {
      showMessage(runMessage, view.reason ?? "The run was interrupted.", "warning");
    } else if (view.status === "finished") {
      showMessage(runMessage, `Finished after ${view.epochsDone} epochs.`, "");
    } else if (view.status === "queued") {
      const training = runs.find((run) => run.status === "running" && run.id !== view.runId);
      const text = training
        ? `Waiting for a free training slot: run ${training.id} is training now.`
        : STATUS_TEXT.queued;
      showMessage(runMessage, text, "");
    } else {
      showMessage(runMessage, STATUS_TEXT[view.status] ?? "", "");
    }
  }

  function renderSamples() {
    const numbers = epochNumbers(view);
    const hasEpochs = numbers.length > 0;
    const empty = find(".sample-empty");
    slider.disabled = !hasEpochs;
    image.hidden = !hasEpochs;
    empty.hidden = hasEpochs;
    if (!hasEpochs) {
      empty.textContent = view.notFound ? NO_RUN_TEXT.missing : "The first images appear after the first epoch.";
      find('[data-role="shown-epoch"]').textContent = "-";
      return;
    }
    if (shownEpoch == null || !view.epochs.has(shownEpoch)) shownEpoch = numbers[numbers.length - 1];
    slider.min = String(numbers[0]);
    slider.max = String(numbers[numbers.length - 1]);
    slider.value = String(shownEpoch);
    slider.setAttribute("aria-valuetext", `${shownEpoch} of ${numbers[numbers.length - 1]}`);
    find('[data-role="shown-epoch"]').textContent = `${shownEpoch} of ${numbers[numbers.length - 1]}`;
    // Until the REST summary is in, the stream replays old epochs one by
    // one, and following each of them would request every epoch's grid.
    if (view.loaded) {
      sampleImage.show(view.epochs.get(shownEpoch).sample_url, `Images generated after epoch ${shownEpoch}`);
    }
  }

  function renderLosses() {
    const hasEpochs = view.epochs.size > 0;
    const empty = find(".loss-empty");
    find(".loss-chart").hidden = !hasEpochs;
    empty.hidden = hasEpochs;
    empty.textContent = view.notFound ? NO_RUN_TEXT.missing : "The losses appear here after the first epoch.";
    lossChart.setData(...lossColumns(view));
    find('[data-role="loss-hint"]').textContent = describeLossCurves(view.params);
  }

  function setStat(name, value) {
    find(`[data-stat="${name}"]`).textContent = String(value);
  }

  function showMessage(element, text, kind) {
    element.className = kind ? `message ${kind}` : "message";
    element.textContent = text;
  }

  function setConnection(text) {
    find(".connection").textContent = text;
  }

  // Run settings: each number box shows its allowed range below it, and an
  // optional one shows in its placeholder what leaving it empty means.

  function numberInput(name) {
    return form.element(name)?.querySelector('input[type="number"]') ?? null;
  }

  function addRangeHints() {
    for (const field of fields) {
      const input = numberInput(field.name);
      const allowed = describeAllowedValues(field);
      if (!input || !allowed) continue;
      // Outside the <label>, so that the hint describes the input rather than naming it.
      const hint = document.createElement("p");
      hint.className = "hint field-hint";
      hint.id = `gan-setting-hint-${field.name}`;
      hint.textContent = `Allowed: ${allowed}`;
      form.element(field.name).after(hint);
      input.setAttribute("aria-describedby", hint.id);
    }
  }

  function showPlaceholders() {
    const values = form.getValues();
    for (const field of fields) {
      const input = numberInput(field.name);
      const placeholder = field.nullable ? emptyFieldPlaceholder(field.name, values) : null;
      if (input && placeholder) input.placeholder = placeholder;
    }
  }

  // The list of runs, refreshed so that students see a run the teacher starts.

  /** Loads the list of runs into `runs`; returns it, or null when the request failed. */
  async function loadRuns() {
    try {
      const listed = await getJson("/api/gan/runs");
      runs = listed;
      return listed;
    } catch (error) {
      if (!disposed) setConnection(`Could not load the list of runs: ${error.message}`);
      return null;
    }
  }

  async function refreshRuns() {
    const listed = await loadRuns();
    if (!listed || disposed) return;
    const target = runIdFromHash() ?? followedRunId(runs, view?.runId ?? null);
    if (target && target !== view?.runId) openRun(target);
    // A missing run stays in view only while the URL hash names it.
    if (!target && view?.notFound) clearRun();
    renderRunList();
    render();
  }

  function followTrainingRun() {
    window.history.replaceState(window.history.state, "", window.location.pathname);
    refreshRuns();
  }

  function renderRunList() {
    const list = find(".run-list");
    buttons.follow.hidden = runIdFromHash() == null;
    buttons["toggle-runs"].hidden = runs.length <= RUN_LIST_LIMIT;
    buttons["toggle-runs"].textContent = runsExpanded ? "Show the newest runs only" : `Show all ${runs.length} runs`;
    if (runs.length === 0) {
      list.replaceChildren(Object.assign(document.createElement("li"), {
        className: "hint",
        textContent: "No runs yet. The teacher starts one above.",
      }));
      return;
    }
    list.replaceChildren(
      ...visibleRuns(runs, RUN_LIST_LIMIT, runsExpanded, view?.runId).map((run) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.runId = run.id;
        button.setAttribute("aria-current", String(run.id === view?.runId));
        const title = document.createElement("span");
        title.textContent = `${run.id} · ${run.status}`;
        const meta = document.createElement("span");
        meta.className = "run-meta";
        const started = new Date(run.created_at).toLocaleString();
        meta.textContent = `${run.epochs_done} of ${run.params.epochs} epochs · ${started}`;
        button.append(title, meta);
        button.addEventListener("click", () => chooseRun(run.id));
        item.append(button);
        return item;
      }),
    );
  }

  function chooseRun(runId) {
    window.history.replaceState(window.history.state, "", `${window.location.pathname}#run=${runId}`);
    openRun(runId);
    renderRunList();
  }

  function toggleRuns() {
    runsExpanded = !runsExpanded;
    renderRunList();
  }

  // Wiring.

  slider.addEventListener("input", () => {
    shownEpoch = Number(slider.value);
    renderSamples();
  });
  find(".token-form").addEventListener("submit", saveToken);
  buttons["forget-token"].addEventListener("click", forgetToken);
  buttons.start.addEventListener("click", requestStart);
  buttons["confirm-start"].addEventListener("click", confirmStart);
  buttons["cancel-start"].addEventListener("click", hideStartConfirmation);
  buttons["toggle-runs"].addEventListener("click", toggleRuns);
  buttons.follow.addEventListener("click", followTrainingRun);
  buttons.stop.addEventListener("click", stopRun);
  buttons.resume.addEventListener("click", resumeRun);
  tokenInput.value = storedToken();
  showTokenState();
  clearRun();

  getJson("/api/gan/architecture")
    .then((architecture) => {
      if (disposed) return;
      renderArchitecture(find(".architecture-tables"), find(".architecture-total"), architecture);
    })
    .catch((error) => showMessage(runMessage, `Could not load the networks: ${error.message}`, "error"));
  getJson("/api/gan/parameters")
    .then((schema) => {
      if (disposed) return;
      fields = describeFields(schema);
      form = createSchemaForm(find("form.settings"), fields, { onChange: showPlaceholders });
      form.setValues(Object.fromEntries(fields.map((field) => [field.name, field.defaultValue])));
      addRangeHints();
      showPlaceholders();
    })
    .catch((error) => showMessage(teacherMessage, `Could not load the run settings: ${error.message}`, "error"));
  refreshRuns();
  const refreshTimer = window.setInterval(refreshRuns, RUNS_REFRESH_MS);
  const onHashChange = () => {
    const chosen = runIdFromHash();
    if (chosen) {
      openRun(chosen);
      renderRunList();
    } else {
      refreshRuns();
    }
  };
  window.addEventListener("hashchange", onHashChange);

  return () => {
    disposed = true;
    window.clearInterval(refreshTimer);
    window.removeEventListener("hashchange", onHashChange);
    closeSocket();
    sampleImage.destroy();
    lossChart.destroy();
  };
}
