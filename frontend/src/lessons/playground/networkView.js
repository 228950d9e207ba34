/**
 * The network diagram: a heatmap thumbnail per neuron, links coloured by the
 * weight's sign and as wide as its size, dashes that move while training,
 * and a card that shows (and on click edits) a weight or a bias.
 */
import { prepareCanvas } from "../../charts/canvas.js";
import { weightColor } from "../../charts/palette.js";
import { FEATURES, FEATURE_IDS } from "./features.js";
import { createFieldGrid } from "./fields.js";
import { paintField } from "./fieldPainter.js";
import {
  BIAS_SIZE_CSS,
  NODE_SIZE_CSS,
  computeNetworkLayout,
  findLinkAt,
  linkWidth,
} from "./networkLayout.js";
import { MAX_HIDDEN_LAYERS, MAX_NEURONS_PER_LAYER } from "./settings.js";

const THUMBNAIL_RESOLUTION = 25;
// Long dashes with short gaps: every dash is a separately rasterised segment,
// so fewer of them keep the diagram cheap to redraw on each frame.
const DASH_PATTERN = [16, 4];
const DASH_SPEED_CSS = 0.8;

let featureThumbnailGrid = null;

/** Returns the input fields of all features on the thumbnail grid (built once). */
function getFeatureThumbnails() {
  featureThumbnailGrid ??= createFieldGrid(FEATURE_IDS, THUMBNAIL_RESOLUTION);
  return featureThumbnailGrid.inputFields;
}

export function describeNeuron(layerIndex, neuronIndex, numLayers) {
  if (layerIndex === numLayers - 1) return "the output neuron";
  return `neuron ${neuronIndex + 1} of hidden layer ${layerIndex}`;
}

function describeSource(link, features, numLayers) {
  if (link.layerIndex === 0) {
    return FEATURES.find((feature) => feature.id === features[link.fromIndex]).label;
  }
  return describeNeuron(link.layerIndex, link.fromIndex, numLayers);
}

function formatParameter(value) {
  return Number.isFinite(value) ? value.toFixed(3) : String(value);
}

/**
 * Creates the diagram inside `container`.
 *
 * Callbacks: onToggleFeature(featureId); onResizeLayer(hiddenLayerIndex,
 * delta) where hiddenLayerIndex counts from 0 and delta is +1 or -1;
 * onResizeNetwork(delta) adds or removes the last hidden layer;
 * onHoverNeuron({ layerIndex, neuronIndex } or null);
 * onEditParameter({ layerIndex, toIndex, fromIndex, value }) with
 * fromIndex null for a bias.
 */
export function createNetworkView(container, callbacks) {
  container.classList.add("pg-network");
  const header = document.createElement("div");
  header.className = "pg-network-header";
  const diagram = document.createElement("div");
  diagram.className = "pg-network-diagram";
  // One canvas draws the links and every thumbnail: many small on-page
  // canvases each cost a texture upload per frame, one canvas costs one.
  const linkCanvas = document.createElement("canvas");
  linkCanvas.className = "pg-links";
  linkCanvas.getContext("2d", { alpha: false });
  const card = document.createElement("div");
  card.className = "pg-card";
  card.hidden = true;
  diagram.append(linkCanvas, card);
  container.append(header, diagram);

  let structure = null;
  let layout = null;
  let linkContext = null;
  // Offscreen canvases, one pixel per thumbnail sample, keyed "layer:neuron";
  // inputs are keyed by feature id.
  let nodeCanvases = new Map();
  let lastNetwork = null;
  let dashOffset = 0;
  let hoveredLink = null;
  let cardTarget = null;
  let isEditing = false;
  let permissions = { canToggleFeatures: true, canEditShape: true, canEditWeights: true };

  const nodeKey = (layerIndex, neuronIndex) => `${layerIndex}:${neuronIndex}`;

  function buildHeader() {
    header.replaceChildren();
    const shape = structure.networkShape;
    const summary = document.createElement("div");
    summary.className = "pg-layer-count";
    summary.dataset.control = "networkShape";
    const count = document.createElement("span");
    count.textContent = `${shape.length} hidden layer${shape.length === 1 ? "" : "s"}`;
    summary.append(
      makeButton("−", "Remove the last hidden layer", shape.length === 0, () =>
        callbacks.onResizeNetwork(-1),
      ),
      count,
      makeButton("+", "Add a hidden layer", shape.length >= MAX_HIDDEN_LAYERS, () =>
        callbacks.onResizeNetwork(1),
      ),
    );
    summary.hidden = !permissions.canEditShape;
    header.append(summary);

    shape.forEach((size, hiddenIndex) => {
      const controls = document.createElement("div");
      controls.className = "pg-layer-controls";
      controls.dataset.control = "networkShape";
      controls.style.left = `${layout.columnX[hiddenIndex + 1] + NODE_SIZE_CSS / 2}px`;
      const label = document.createElement("span");
      label.textContent = String(size);
      label.title = `${size} neuron${size === 1 ? "" : "s"}`;
      controls.append(
        makeButton("−", `Remove a neuron from hidden layer ${hiddenIndex + 1}`, size <= 1, () =>
          callbacks.onResizeLayer(hiddenIndex, -1),
        ),
        label,
        makeButton(
          "+",
          `Add a neuron to hidden layer ${hiddenIndex + 1}`,
          size >= MAX_NEURONS_PER_LAYER,
          () => callbacks.onResizeLayer(hiddenIndex, 1),
        ),
      );
      controls.hidden = !permissions.canEditShape;
      header.append(controls);
    });
  }

  function makeButton(text, label, isDisabled, onClick) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "pg-small-button";
    button.textContent = text;
    button.setAttribute("aria-label", label);
    button.title = label;
    button.disabled = isDisabled;
    button.addEventListener("click", onClick);
    return button;
  }

  function buildNodes() {
    diagram.querySelectorAll(".pg-node, .pg-feature-label").forEach((element) => element.remove());
    nodeCanvases = new Map();
    const numLayers = structure.networkShape.length + 2;
    const thumbnails = getFeatureThumbnails();
    for (const node of layout.nodes) {
      const isInput = node.layerIndex === 0;
      const element = document.createElement(isInput ? "button" : "div");
      element.className = `pg-node${isInput ? " pg-input" : ""}`;
      element.style.left = `${node.x}px`;
      element.style.top = `${node.y}px`;
      const canvas = document.createElement("canvas");
      if (isInput) {
        const feature = FEATURES.find((item) => item.id === node.featureId);
        element.type = "button";
        element.dataset.feature = node.featureId;
        element.setAttribute("aria-pressed", String(node.isEnabled));
        element.setAttribute("aria-label", `Feature ${feature.label}`);
        const action = node.isEnabled ? "remove it from" : "add it to";
        element.title = `${feature.label}: click to ${action} the inputs`;
        element.disabled = !permissions.canToggleFeatures;
        element.addEventListener("click", () => callbacks.onToggleFeature(node.featureId));
        const label = document.createElement("span");
        label.className = "pg-feature-label";
        label.textContent = feature.label;
        label.style.top = `${node.y + NODE_SIZE_CSS / 2}px`;
        label.style.right = `calc(100% - ${node.x - 6}px)`;
        diagram.append(label);
        paintField(canvas, thumbnails[FEATURE_IDS.indexOf(node.featureId)], THUMBNAIL_RESOLUTION);
        nodeCanvases.set(node.featureId, canvas);
      } else {
        element.dataset.layer = String(node.layerIndex);
        element.dataset.neuron = String(node.neuronIndex);
        const name = describeNeuron(node.layerIndex, node.neuronIndex, numLayers);
        element.setAttribute("aria-label", name);
        element.addEventListener("mouseenter", () =>
          callbacks.onHoverNeuron({ layerIndex: node.layerIndex, neuronIndex: node.neuronIndex }),
        );
        element.addEventListener("mouseleave", () => callbacks.onHoverNeuron(null));
        element.append(createBiasHandle(node));
        nodeCanvases.set(nodeKey(node.layerIndex, node.neuronIndex), canvas);
      }
      diagram.append(element);
    }
  }

  function createBiasHandle(node) {
    const handle = document.createElement("button");
    handle.type = "button";
    handle.className = "pg-bias";
    handle.style.width = `${BIAS_SIZE_CSS}px`;
    handle.style.height = `${BIAS_SIZE_CSS}px`;
    const target = {
      kind: "bias",
      layerIndex: node.layerIndex - 1,
      toIndex: node.neuronIndex,
      fromIndex: null,
    };
    handle.setAttribute("aria-label", "Bias");
    handle.addEventListener("mouseenter", (event) => showCard(target, event));
    handle.addEventListener("mouseleave", () => hideCardUnlessEditing());
    handle.addEventListener("click", (event) => {
      event.stopPropagation();
      startEditing(target, event);
    });
    return handle;
  }

  function parameterValue(target) {
    if (!lastNetwork) return NaN;
    if (target.fromIndex === null) return lastNetwork.biases[target.layerIndex][target.toIndex];
    const fanIn = lastNetwork.layerSizes[target.layerIndex];
    return lastNetwork.weights[target.layerIndex][target.toIndex * fanIn + target.fromIndex];
  }

  function describeTarget(target) {
    const numLayers = structure.networkShape.length + 2;
    const toName = describeNeuron(target.layerIndex + 1, target.toIndex, numLayers);
    if (target.fromIndex === null) return `Bias of ${toName}`;
    const fromName = describeSource(target, structure.features, numLayers);
    return `Weight from ${fromName} to ${toName}`;
  }

  function placeCard(event) {
    const box = diagram.getBoundingClientRect();
    card.style.left = `${event.clientX - box.left + 12}px`;
    card.style.top = `${event.clientY - box.top + 12}px`;
  }

  function showCard(target, event) {
    if (isEditing) return;
    cardTarget = target;
    card.hidden = false;
    card.classList.remove("is-editing");
    refreshCardText();
    placeCard(event);
  }

  function refreshCardText() {
    if (!cardTarget || isEditing) return;
    const hint = permissions.canEditWeights ? " Click to edit." : "";
    const value = formatParameter(parameterValue(cardTarget));
    card.textContent = `${describeTarget(cardTarget)}: ${value}.${hint}`;
  }

  function hideCardUnlessEditing() {
    if (isEditing) return;
    card.hidden = true;
    cardTarget = null;
  }

  function stopEditing() {
    isEditing = false;
    card.hidden = true;
    cardTarget = null;
  }

  /** Turns the card into a number box for `target`; Enter applies, Escape cancels. */
  function startEditing(target, event) {
    if (!permissions.canEditWeights) return;
    isEditing = false;
    showCard(target, event);
    isEditing = true;
    card.classList.add("is-editing");

    const label = document.createElement("label");
    label.textContent = `${describeTarget(target)} `;
    const input = document.createElement("input");
    input.type = "number";
    input.step = "any";
    input.name = "parameter";
    input.value = String(Number(parameterValue(target).toFixed(6)));
    label.append(input);
    const error = document.createElement("span");
    error.className = "pg-card-error";
    card.replaceChildren(label, error);

    input.addEventListener("keydown", (keyEvent) => onEditorKey(keyEvent, input, error, target));
    input.addEventListener("blur", () => {
      if (isEditing) stopEditing();
    });
    input.focus();
    input.select();
  }

  function onEditorKey(event, input, error, target) {
    // Keep space and the arrows for the number box, not the page's shortcuts.
    event.stopPropagation();
    if (event.key === "Escape") stopEditing();
    if (event.key !== "Enter") return;
    const value = Number(input.value);
    if (input.value.trim() === "" || !Number.isFinite(value)) {
      error.textContent = " Enter a number, such as -0.5.";
      return;
    }
    stopEditing();
    callbacks.onEditParameter({ ...target, value });
  }

  function linkAt(event) {
    const box = diagram.getBoundingClientRect();
    return findLinkAt(layout, event.clientX - box.left, event.clientY - box.top);
  }

  function onDiagramMove(event) {
    if (!layout || isEditing || event.target !== linkCanvas) return;
    const link = linkAt(event);
    if (link !== hoveredLink) {
      hoveredLink = link;
      drawLinks();
    }
    if (link) showCard({ kind: "weight", ...link }, event);
    else if (cardTarget?.kind === "weight") hideCardUnlessEditing();
  }

  function onDiagramLeave() {
    if (hoveredLink) {
      hoveredLink = null;
      drawLinks();
    }
    if (cardTarget?.kind === "weight") hideCardUnlessEditing();
  }

  function onDiagramClick(event) {
    if (!layout || event.target !== linkCanvas) return;
    const link = linkAt(event);
    if (link) startEditing({ kind: "weight", ...link }, event);
  }

  diagram.addEventListener("mousemove", onDiagramMove);
  diagram.addEventListener("mouseleave", onDiagramLeave);
  diagram.addEventListener("click", onDiagramClick);

  function traceLink(context, link) {
    const middleX = (link.x0 + link.x1) / 2;
    context.moveTo(link.x0, link.y0);
    context.bezierCurveTo(middleX, link.y0, middleX, link.y1, link.x1, link.y1);
  }

  /** Returns the stroke style of a weight as "colour|width", width in 0.5 px steps. */
  function linkStyle(weight) {
    if (!Number.isFinite(weight)) return "#808080|1";
    return `${weightColor(weight)}|${Math.round(linkWidth(weight) * 2) / 2}`;
  }

  function drawLinks() {
    if (!linkContext || !lastNetwork) return;
    const context = linkContext;
    // An opaque canvas on the panel's white is cheaper to composite.
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, layout.widthCss, layout.heightCss);

    // One path per stroke style: a few dozen stroke calls instead of one per
    // link, which matters with software rasterisation.
    const groups = new Map();
    for (const link of layout.links) {
      const fanIn = lastNetwork.layerSizes[link.layerIndex];
      const weight = lastNetwork.weights[link.layerIndex][link.toIndex * fanIn + link.fromIndex];
      const style = linkStyle(weight);
      if (!groups.has(style)) groups.set(style, []);
      groups.get(style).push(link);
    }
    context.setLineDash(DASH_PATTERN);
    context.lineDashOffset = -dashOffset;
    context.globalAlpha = 0.7;
    for (const [style, links] of groups) {
      const [color, width] = style.split("|");
      context.beginPath();
      for (const link of links) traceLink(context, link);
      context.strokeStyle = color;
      context.lineWidth = Number(width);
      context.stroke();
    }
    context.globalAlpha = 1;
    if (hoveredLink) drawHoveredLink(context, hoveredLink);
    context.setLineDash([]);
    drawThumbnails(context);
  }

  function drawThumbnails(context) {
    context.imageSmoothingEnabled = true;
    for (const node of layout.nodes) {
      const key = node.layerIndex === 0 ? node.featureId : nodeKey(node.layerIndex, node.neuronIndex);
      const canvas = nodeCanvases.get(key);
      if (!canvas) continue;
      context.globalAlpha = node.isEnabled ? 1 : 0.3;
      context.drawImage(canvas, node.x, node.y, NODE_SIZE_CSS, NODE_SIZE_CSS);
    }
    context.globalAlpha = 1;
  }

  function drawHoveredLink(context, link) {
    const fanIn = lastNetwork.layerSizes[link.layerIndex];
    const weight = lastNetwork.weights[link.layerIndex][link.toIndex * fanIn + link.fromIndex];
    const [color, width] = linkStyle(weight).split("|");
    context.setLineDash([]);
    context.beginPath();
    traceLink(context, link);
    context.strokeStyle = "#1d2430";
    context.lineWidth = Number(width) + 3;
    context.stroke();
    context.strokeStyle = color;
    context.lineWidth = Number(width);
    context.stroke();
  }

  return {
    /**
     * Rebuilds the diagram for `config` (features, networkShape). `allowed`
     * switches the feature, shape and weight editing on or off.
     */
    setStructure(config, allowed = {}) {
      structure = { features: config.features.slice(), networkShape: config.networkShape.slice() };
      permissions = { ...permissions, ...allowed };
      stopEditing();
      hoveredLink = null;
      const widthCss = Math.max(diagram.clientWidth || container.clientWidth || 600, 320);
      layout = computeNetworkLayout({ ...structure, widthCss });
      diagram.style.height = `${layout.heightCss}px`;
      linkContext = prepareCanvas(linkCanvas, layout.widthCss, layout.heightCss).context;
      buildHeader();
      buildNodes();
    },

    /** Repaints thumbnails and links from `network` and its `fields`. */
    update({ network, fields, resolution, isPlaying }) {
      lastNetwork = network;
      if (isPlaying) dashOffset = (dashOffset + DASH_SPEED_CSS) % 100;
      const stride = Math.max(1, Math.round(resolution / THUMBNAIL_RESOLUTION));
      for (let l = 1; l < fields.length; l++) {
        fields[l].forEach((field, j) => {
          const canvas = nodeCanvases.get(nodeKey(l, j));
          if (canvas) paintField(canvas, field, resolution, { stride });
        });
      }
      drawLinks();
      refreshCardText();
    },

    /** Returns the layout and the diagram's canvas, for drawing it elsewhere. */
    snapshot: () => ({ layout, canvas: linkCanvas }),

    get widthCss() {
      return diagram.clientWidth;
    },

    destroy() {
      diagram.removeEventListener("mousemove", onDiagramMove);
      diagram.removeEventListener("mouseleave", onDiagramLeave);
      diagram.removeEventListener("click", onDiagramClick);
      container.replaceChildren();
    },
  };
}
