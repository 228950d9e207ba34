import { CARD_ROW_HEIGHT, cardLabel, OP_SIZE, roleTag, VALUE_LEFT } from "./layout.js";
import { formatValue, opSymbol } from "./formulas.js";
import { isEdgeActive } from "./replay.js";

const SVG_NS = "http://www.w3.org/2000/svg";
// Below this scale the drawing scrolls sideways instead of shrinking further.
const MIN_SCALE = 0.65;
const MAX_SCALE = 1.4;

function svgElement(name, attributes = {}, text = null) {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) element.setAttribute(key, String(value));
  }
  if (text !== null) element.textContent = text;
  return element;
}

function arrowMarker(id, className) {
  const marker = svgElement("marker", {
    id,
    viewBox: "0 0 10 10",
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: "auto-start-reverse",
  });
  marker.append(svgElement("path", { d: "M 0 0 L 10 5 L 0 10 z", class: className }));
  return marker;
}

function pathThrough(points) {
  return points
    .map((point, index) => `${index === 0 ? "M" : "L"} ${point.x.toFixed(1)} ${point.y.toFixed(1)}`)
    .join(" ");
}

function drawEdge(item, view) {
  const classes = ["edge"];
  if (item.edge.is_loss_part) classes.push("loss-part");
  if (isEdgeActive(item.edge, view.current)) classes.push("active");
  const marker = classes.includes("active")
    ? "arrow-active"
    : item.edge.is_loss_part
      ? "arrow-loss"
      : "arrow";
  return svgElement("path", {
    d: pathThrough(item.points),
    class: classes.join(" "),
    "marker-end": `url(#${marker})`,
  });
}

function drawOp(item, view) {
  const { node } = item;
  const isCurrent = view.current?.type === "forward" && view.current.node === node.id;
  const group = svgElement("g", {
    class: `op${isCurrent ? " current" : ""}${node.is_loss_part ? " loss-part" : ""}`,
    transform: `translate(${item.x} ${item.y})`,
    "data-op-for": node.id,
  });
  group.append(
    svgElement("rect", {
      x: -item.width / 2,
      y: -OP_SIZE / 2,
      width: item.width,
      height: OP_SIZE,
      rx: OP_SIZE / 2,
    }),
    svgElement("text", { "text-anchor": "middle", dy: "0.35em" }, opSymbol(node)),
  );
  return group;
}

function currentField(node, view) {
  if (view.current?.node !== node.id) return null;
  return view.current.type === "forward" ? "data" : "grad";
}

function newValueText(node, view) {
  const change = view.update?.weights.find((item) => item.node === node.id);
  return formatValue(change?.new_value ?? null);
}

// Rough width of a value's characters at the card font size, used to squeeze
// a value that would run past the card's edge.
const VALUE_CHARACTER_WIDTH = 7.6;

function valueRow(item, rowIndex, name, field, text) {
  const left = -item.width / 2;
  const y = -item.height / 2 + 36 + rowIndex * CARD_ROW_HEIGHT;
  const room = item.width - VALUE_LEFT - 8;
  const squeeze = text.length * VALUE_CHARACTER_WIDTH > room;
  return [
    svgElement("text", { x: left + 8, y, class: "card-row" }, name),
    svgElement(
      "text",
      {
        x: left + VALUE_LEFT,
        y,
        class: "card-value",
        "data-field": field,
        textLength: squeeze ? room : null,
        lengthAdjust: squeeze ? "spacingAndGlyphs" : null,
      },
      text,
    ),
  ];
}

function drawCard(item, view) {
  const { node } = item;
  const field = currentField(node, view);
  const isUpdated = view.update?.weights.some((change) => change.node === node.id);
  const classes = ["card", `role-${node.role}`];
  if (field) classes.push("current", `current-${field}`);
  if (isUpdated) classes.push("updated");

  const left = -item.width / 2;
  const top = -item.height / 2;
  const group = svgElement("g", {
    class: classes.join(" "),
    transform: `translate(${item.x} ${item.y})`,
    "data-node-id": node.id,
    "data-label": node.label,
  });
  group.append(
    svgElement("title", {}, `${node.label} (${node.role})`),
    svgElement("rect", { x: left, y: top, width: item.width, height: item.height, rx: 7 }),
    svgElement("text", { x: left + 8, y: top + 16, class: "card-label" }, cardLabel(node.label)),
  );

  const tag = roleTag(node);
  if (tag) {
    group.append(
      svgElement(
        "text",
        { x: item.width / 2 - 7, y: top + 15, class: "card-tag", "text-anchor": "end" },
        tag,
      ),
    );
  }

  group.append(
    ...valueRow(item, 0, "data", "data", formatValue(view.values.get(node.id))),
    ...valueRow(item, 1, "grad", "grad", formatValue(view.grads.get(node.id))),
  );
  if (node.role === "trainable") {
    group.append(...valueRow(item, 2, "new", "new", newValueText(node, view)));
  }
  return group;
}

/**
 * Draws the laid-out graph into `svg` for the state `view` (see replay.js):
 * edges, then operation nodes, then the value cards on top.
 */
export function drawGraph(svg, laidOut, view, containerWidthCss) {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, containerWidthCss / laidOut.width));
  svg.setAttribute("viewBox", `0 0 ${laidOut.width} ${laidOut.height}`);
  svg.setAttribute("width", String(Math.round(laidOut.width * scale)));
  svg.setAttribute("height", String(Math.round(laidOut.height * scale)));
  const defs = svgElement("defs");
  defs.append(
    arrowMarker("arrow", "arrow-head"),
    arrowMarker("arrow-loss", "arrow-head loss-part"),
    arrowMarker("arrow-active", "arrow-head active"),
  );
  svg.replaceChildren(
    defs,
    ...laidOut.edges.map((item) => drawEdge(item, view)),
    ...laidOut.ops.map((item) => drawOp(item, view)),
    ...laidOut.cards.map((item) => drawCard(item, view)),
  );
}
