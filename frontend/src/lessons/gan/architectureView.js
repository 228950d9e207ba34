import { formatCount, formatShape } from "./model.js";

function cell(tag, text, className) {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

function networkTable(title, network) {
  const table = document.createElement("table");
  table.dataset.network = title.toLowerCase();
  table.append(cell("caption", title));
  const head = table.createTHead().insertRow();
  head.append(
    cell("th", "Layer"),
    cell("th", "Type"),
    cell("th", "Output shape"),
    cell("th", "Parameters", "number"),
  );
  const body = table.createTBody();
  const input = body.insertRow();
  input.append(cell("td", "input"), cell("td", "-"), cell("td", formatShape(network.input_shape)), cell("td", "0", "number"));
  for (const layer of network.layers) {
    const row = body.insertRow();
    const type = layer.activation ? `${layer.type} + ${layer.activation}` : layer.type;
    row.append(
      cell("td", layer.name),
      cell("td", type),
      cell("td", formatShape(layer.output_shape)),
      cell("td", formatCount(layer.parameters), "number"),
    );
  }
  const total = table.createTFoot().insertRow();
  total.append(cell("td", "Total"), cell("td", ""), cell("td", ""), cell("td", formatCount(network.total_parameters), "number"));
  return table;
}

/** Fills `container` with the layer tables of both networks and `totalLine` with the sum. */
export function renderArchitecture(container, totalLine, architecture) {
  container.replaceChildren(
    networkTable("Generator", architecture.generator),
    networkTable("Discriminator", architecture.discriminator),
  );
  totalLine.textContent =
    `Both networks together: ${formatCount(architecture.total_parameters)} parameters. ` +
    `Shapes are height × width × channels; the generator's input is ${architecture.latent_dim} random numbers.`;
}
