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

  const editor = createEditor(find("form.editor"), {
    parse: (expression) => postJson("/api/backprop/parse", { expression }),
    onSubmit: (params) => start(params),
  });

  const socket = new LessonSocket("/ws/backprop", {
    onStatus: (connection) => {
      find(".connection").textContent =
        connection === "closed" ? "Connection lost; it reopens on the next action." : "";
    },
  });
  socket
    .on(BACKPROP_EVENT.GRAPH, (event) => {
      stream.graph = event;
      stream.laidOut = layoutGraph(event);
      stream.nodesById = new Map(event.nodes.map((node) => [node.id, node]));
      stream.steps.clear();
      cursor = -1;
      lastError = "";
      editor.showError("");
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
      const isParamsError = event.errors?.some((item) => item.field.startsWith("params"));
      if (isParamsError || event.position != null) {
        editor.showError(event.message, event.position ?? null);
      } else {
        lastError = event.message;
        render();
      }
    });

  function receiveStep(event) {
    stream.steps.set(event.step, event);
    cursor = event.step;
    render();
  }

  function start(params) {
    window.history.replaceState(
      window.history.state,
      "",
      `${window.location.pathname}${encodeLessonHash(params)}`,
    );
    socket.send(CONTROL.START, {
      params: toServerParams(params),
      steps_per_second: Number(speedInput.value),
    });
  }

  function render() {
    renderButtons();
    if (!stream.graph) {
      logLine.textContent = lastError || "Loading the graph...";
      return;
    }
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
    buttons.prev.disabled = cursor < 0;
    buttons.next.disabled = !stream.graph || cursor >= numSteps - 1;
    buttons.reset.disabled = cursor < 0;
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
      const properties = schema.properties;
      defaults = {
        expression: properties.expression.default,
        leaves: properties.leaves.default,
        learningRate: properties.learning_rate.default,
      };
      const fromHash = decodeLessonHash(window.location.hash);
      let params = defaults;
      if (fromHash) {
        const learningRate = fromHash.learningRate ?? defaults.learningRate;
        params = { ...fromHash, learningRate: fromHash.learningRate === null ? null : learningRate };
      }
      editor.setParams(params);
      start(params);
    })
    .catch((error) => {
      lastError = `Could not load the lesson: ${error.message}`;
      render();
    });
  render();

  return () => {
    window.removeEventListener("keydown", onKeyDown);
    resizeObserver.disconnect();
    editor.destroy();
    socket.close();
  };
}
