import { describeSocketError } from "../../api/errors.js";
import { CONTROL, EVENT } from "../../api/events.js";
import { getJson, postJson } from "../../api/rest.js";
import { LessonSocket } from "../../api/socket.js";
import { createEditor } from "./editor.js";
import { describeStep, formatValue, gradientSymbol, weightChangeText } from "./formulas.js";
import { drawGraph } from "./graphView.js";
import { decodeLessonHash, encodeLessonHash } from "./hash.js";
import { layoutGraph } from "./layout.js";
import { BACKPROP_CONTROL, BACKPROP_EVENT } from "../../api/events.js";
import { viewAt } from "./replay.js";
import { TEMPLATE } from "./template.js";
import "./backprop.css";

const PHASE_NAMES = {
  ready: "Ready",
  forward: "Forward pass",
  backward: "Backward pass",
  update: "Update step",
  done: "Done",
};

/** Converts the editor's state into the server's parameter names. */
function toServerParams({ expression, leaves, learningRate }) {
  return { expression, leaves, learning_rate: learningRate };
}

/**
 * Describes a rejected start. The engine's errors on the expression or a
 * leaf are sentences already, with the line and column. Rejected parameter
 * values are named the way the editor labels them.
 */
function describeBuildError(event, leafNames) {
  const fields = (event.errors ?? []).map((item) => item.field);
  const isEngineError =
    fields.length > 0 &&
    fields.every((field) => field === "params.expression" || /^params\.leaves\.\w+$/.test(field));
  if (isEngineError) return event.message;
  const labels = { learning_rate: "Learning rate" };
  for (const name of leafNames) {
    labels[`leaves.${name}.value`] = `Value of ${name}`;
    labels[`leaves.${name}.role`] = `Role of ${name}`;
  }
  return describeSocketError(event, { labels, action: "Invalid parameters" });
}

export function mount(root) {
  root.innerHTML = TEMPLATE;
  const find = (selector) => root.querySelector(selector);
  const svg = find("svg.graph");
  const graphScroll = find(".graph-scroll");
  const logLine = find('[data-role="log"]');
  const speedInput = find('input[name="speed"]');
  const buttons = Object.fromEntries(
    [...root.querySelectorAll("button[data-action]")].map((button) => [
      button.dataset.action,
      button,
    ]),
  );

  // The stream so far: the graph event, the steps received by number, the
  // cursor (the last step shown, -1 before the first) and the player status.
  const stream = { graph: null, laidOut: null, nodesById: new Map(), steps: new Map() };
  let cursor = -1;
  let status = "paused";
  let defaults = null;
  let lastError = "";
  // True from a start message until its graph or error event arrives.
  let isBuilding = false;
  // Why the last build failed. The page then shows no graph, only this reason.
  let buildError = "";
  let isMounted = true;

  const editor = createEditor(find("form.editor"), {
    parse: (expression) => postJson("/api/backprop/parse", { expression }),
    onSubmit: (params) => {
      editor.showNotice([]);
      start(params);
    },
  });

  const socket = new LessonSocket("/ws/backprop", {
    onStatus: (connection) => {
      // The socket reports its own closing after the page has been left.
      if (!isMounted) return;
      find(".connection").textContent =
        connection === "closed" ? "Connection lost; it reopens on the next action." : "";
    },
  });
  socket
    .on(BACKPROP_EVENT.GRAPH, (event) => {
      isBuilding = false;
      buildError = "";
      stream.graph = event;
      stream.laidOut = layoutGraph(event);
      stream.nodesById = new Map(event.nodes.map((node) => [node.id, node]));
      stream.steps.clear();
      cursor = -1;
      lastError = "";
      editor.showError("");
      writeAddress(event.params);
      render();
    })
    .on(BACKPROP_EVENT.FORWARD, receiveStep)
    .on(BACKPROP_EVENT.BACKWARD, receiveStep)
    .on(BACKPROP_EVENT.UPDATE, receiveStep)
    .on(EVENT.STATE, (event) => {
      status = event.status;
      cursor = event.index;
      render();
    })
    .on(EVENT.ERROR, (event) => {
      if (isBuilding) {
        failBuild(event);
        return;
      }
      const isParamsError = event.errors?.some((item) => item.field.startsWith("params"));
      if (isParamsError || event.position != null) {
        editor.showError(event.message, event.position ?? null);
      } else {
        lastError = event.message;
        render();
      }
    });

  function receiveStep(event) {
    // Steps of the previous graph can still arrive after a failed build.
    if (!stream.graph) return;
    stream.steps.set(event.step, event);
    cursor = event.step;
    render();
  }

  function start(params) {
    isBuilding = true;
    socket.send(CONTROL.START, {
      params: toServerParams(params),
      steps_per_second: Number(speedInput.value),
    });
  }

  /**
   * Removes the graph after the server rejected a start, so that no graph
   * that differs from the editor stays on screen. The server keeps playing
   * the previous graph's steps, so the page pauses it.
   */
  function failBuild(event) {
    isBuilding = false;
    if (status === "playing") socket.send(CONTROL.PAUSE);
    stream.graph = null;
    stream.laidOut = null;
    stream.nodesById = new Map();
    stream.steps.clear();
    cursor = -1;
    buildError = describeBuildError(event, Object.keys(editor.getParams().leaves));
    editor.showError(buildError, event.position ?? null);
    render();
  }

  /** Stores the parameters of the graph just built in the page address. */
  function writeAddress(serverParams) {
    const hash = encodeLessonHash({
      expression: serverParams.expression,
      leaves: serverParams.leaves,
      learningRate: serverParams.learning_rate,
    });
    if (hash === window.location.hash) return;
    window.history.replaceState(window.history.state, "", `${window.location.pathname}${hash}`);
  }

  function renderWithoutGraph() {
    svg.replaceChildren();
    svg.setAttribute("height", "0");
    find('[data-role="counter"]').textContent = "";
    find('[data-role="gradients"]').replaceChildren();
    find('[data-role="update"]').replaceChildren();
    logLine.classList.toggle("failed", Boolean(buildError || lastError));
    if (buildError) {
      logLine.textContent =
        `Could not build the new graph, so no graph is shown. ${buildError} ` +
        "Change the expression or the leaf values, then press Build graph.";
    } else {
      logLine.textContent = lastError || "Loading the graph...";
    }
  }

  function render() {
    renderButtons();
    if (!stream.graph) {
      renderWithoutGraph();
      return;
    }
    logLine.classList.remove("failed");
    const view = viewAt(stream.graph, stream.steps, cursor);
    drawGraph(svg, stream.laidOut, view, graphScroll.clientWidth);
    renderLog(view);
    renderGradients(view);
    renderUpdate(view);
    find('[data-role="counter"]').textContent =
      `step ${cursor + 1} of ${stream.graph.num_steps}`;
  }

  function renderLog(view) {
    const phase = document.createElement("span");
    phase.className = "phase";
    phase.textContent = `${PHASE_NAMES[view.current?.type ?? "ready"]}: `;
    const text = view.current
      ? describeStep(view.current, stream.nodesById)
      : "only the leaves are known. Press Next to compute the first node.";
    logLine.replaceChildren(phase, document.createTextNode(lastError || text));
  }

  function renderGradients(view) {
    const trainable = stream.graph.nodes.filter((node) => node.role === "trainable");
    const list = find('[data-role="gradients"]');
    if (trainable.length === 0) {
      list.replaceChildren(
        Object.assign(document.createElement("li"), {
          textContent: "No leaf is trainable. Set a leaf's role to trainable.",
        }),
      );
      return;
    }
    list.replaceChildren(
      ...trainable.map((node) => {
        const item = document.createElement("li");
        item.dataset.leaf = node.label;
        item.textContent = `${gradientSymbol(node.label)} = ${formatValue(view.grads.get(node.id))}`;
        return item;
      }),
    );
  }

  function renderUpdate(view) {
    const box = find('[data-role="update"]');
    const learningRate = stream.graph.params.learning_rate;
    if (!view.update) {
      const hasTrainable = stream.graph.nodes.some((node) => node.role === "trainable");
      let text =
        `After the backward pass, one gradient-descent step with learning rate ` +
        `${formatValue(learningRate)} moves every trainable leaf against its gradient.`;
      if (learningRate == null) text = "No update step, because the learning rate is empty.";
      else if (!hasTrainable) text = "No update step, because no leaf is trainable.";
      box.replaceChildren(Object.assign(document.createElement("p"), { textContent: text }));
      return;
    }
    const changes = document.createElement("ul");
    changes.append(
      ...view.update.weights.map((change) =>
        Object.assign(document.createElement("li"), {
          textContent: weightChangeText(change, view.update.learning_rate),
        }),
      ),
    );
    const loss = document.createElement("p");
    loss.dataset.role = "new-loss";
    loss.textContent =
      `Loss before: ${formatValue(view.update.loss)}, ` +
      `after: ${formatValue(view.update.new_loss)}`;
    box.replaceChildren(changes, loss);
  }

  function renderButtons() {
    const numSteps = stream.graph?.num_steps ?? 0;
    buttons.prev.disabled = !stream.graph || cursor < 0;
    buttons.next.disabled = !stream.graph || cursor >= numSteps - 1;
    buttons.reset.disabled = !stream.graph || cursor < 0;
    buttons.auto.disabled = !stream.graph || (cursor >= numSteps - 1 && status !== "playing");
    buttons.auto.textContent = status === "playing" ? "Pause" : "Auto";
  }

  function toggleAuto() {
    if (status === "playing") socket.send(CONTROL.PAUSE);
    else socket.send(BACKPROP_CONTROL.AUTO, { steps_per_second: Number(speedInput.value) });
  }

  function onKeyDown(event) {
    if (event.target.closest("input, select, textarea")) return;
    if (event.key === "ArrowRight" && !buttons.next.disabled) {
      event.preventDefault();
      socket.send(BACKPROP_CONTROL.NEXT);
    } else if (event.key === "ArrowLeft" && !buttons.prev.disabled) {
      event.preventDefault();
      socket.send(CONTROL.PREV);
    }
  }

  buttons.next.addEventListener("click", () => socket.send(BACKPROP_CONTROL.NEXT));
  buttons.prev.addEventListener("click", () => socket.send(CONTROL.PREV));
  buttons.reset.addEventListener("click", () => socket.send(BACKPROP_CONTROL.RESET));
  buttons.auto.addEventListener("click", toggleAuto);
  buttons.default.addEventListener("click", () => {
    if (!defaults) return;
    editor.setParams(defaults);
    editor.showNotice([]);
    start(defaults);
  });
  speedInput.addEventListener("input", () => {
    find(".speed-output").textContent = speedInput.value;
    if (status === "playing") {
      socket.send(CONTROL.SPEED, { steps_per_second: Number(speedInput.value) });
    }
  });
  window.addEventListener("keydown", onKeyDown);
  const resizeObserver = new ResizeObserver(() => render());
  resizeObserver.observe(graphScroll);

  // The defaults come from the server's parameter schema, so the page and
  // the API always agree on the default example.
  getJson("/api/backprop/parameters")
    .then((schema) => {
      if (!isMounted) return;
      const properties = schema.properties;
      defaults = {
        expression: properties.expression.default,
        leaves: properties.leaves.default,
        learningRate: properties.learning_rate.default,
      };
      const fromHash = decodeLessonHash(window.location.hash);
      let params = defaults;
      if (fromHash) {
        const { problems, ...fromLink } = fromHash;
        const learningRate = fromLink.learningRate ?? defaults.learningRate;
        params = { ...fromLink, learningRate: fromLink.learningRate === null ? null : learningRate };
        editor.showNotice(problems);
      }
      editor.setParams(params);
      start(params);
    })
    .catch((error) => {
      if (!isMounted) return;
      lastError = `Could not load the lesson: ${error.message}`;
      render();
    });
  render();

  return () => {
    isMounted = false;
    window.removeEventListener("keydown", onKeyDown);
    resizeObserver.disconnect();
    editor.destroy();
    socket.close();
  };
}
