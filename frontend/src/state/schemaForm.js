// Builds form controls for a list of field descriptions (see schemaFields.js).
const SLIDER_STEPS = 1000;

export function formatNumber(value) {
  if (value == null) return "";
  if (value !== 0 && (Math.abs(value) < 0.001 || Math.abs(value) >= 10000)) {
    return value.toExponential(1);
  }
  return String(Number(value.toPrecision(3)));
}

/** Position in [0, SLIDER_STEPS] of `value` on a linear or log slider for `field`. */
export function sliderPosition(field, value) {
  const { minimum, maximum } = field;
  const fraction =
    field.scale === "log"
      ? Math.log(value / minimum) / Math.log(maximum / minimum)
      : (value - minimum) / (maximum - minimum);
  return Math.round(Math.max(0, Math.min(1, fraction)) * SLIDER_STEPS);
}

/** Value of slider `position` for `field`, rounded to 3 significant digits. */
export function sliderValue(field, position) {
  const { minimum, maximum } = field;
  const fraction = position / SLIDER_STEPS;
  const value =
    field.scale === "log"
      ? minimum * (maximum / minimum) ** fraction
      : minimum + fraction * (maximum - minimum);
  return Math.min(maximum, Math.max(minimum, Number(value.toPrecision(3))));
}

/**
 * Value of slider `position`, or `exactValue` while the slider still sits at
 * that value's position. A value set from a link or a preset (0.003) then
 * survives the rounding to one of the SLIDER_STEPS positions.
 */
export function sliderValueKeepingExact(field, position, exactValue) {
  const exact = exactValue == null || exactValue === "" ? Number.NaN : Number(exactValue);
  if (Number.isFinite(exact) && sliderPosition(field, exact) === position) return exact;
  return sliderValue(field, position);
}

function createControl(field, onInput) {
  const wrapper = document.createElement("label");
  wrapper.className = `field field-${field.kind}`;
  wrapper.dataset.field = field.name;
  wrapper.title = field.description;
  const caption = document.createElement("span");
  caption.className = "field-label";
  caption.textContent = field.label;
  wrapper.append(caption);

  let input;
  let output = null;
  if (field.kind === "enum") {
    input = document.createElement("select");
    for (const option of field.options) {
      const element = document.createElement("option");
      element.value = String(option);
      element.textContent = String(option);
      input.append(element);
    }
  } else if (field.kind === "boolean") {
    input = document.createElement("input");
    input.type = "checkbox";
  } else if (field.kind === "number" && field.minimum != null && field.maximum != null) {
    input = document.createElement("input");
    input.type = "range";
    input.min = "0";
    input.max = String(SLIDER_STEPS);
    output = document.createElement("output");
  } else {
    input = document.createElement("input");
    input.type = "number";
    if (field.minimum != null) input.min = String(field.minimum);
    if (field.maximum != null) input.max = String(field.maximum);
    input.step = field.kind === "integer" ? "1" : "any";
  }
  input.name = field.name;
  input.addEventListener("input", onInput);
  input.addEventListener("change", onInput);
  wrapper.append(input);
  if (output) wrapper.append(output);
  return { field, wrapper, input, output };
}

function readControl({ field, input }) {
  if (field.kind === "boolean") return input.checked;
  if (field.kind === "enum") return field.options.find((option) => String(option) === input.value);
  if (input.type === "range") {
    return sliderValueKeepingExact(field, Number(input.value), input.dataset.exactValue);
  }
  if (input.value === "") return field.nullable ? null : field.defaultValue;
  const value = Number(input.value);
  return field.kind === "integer" ? Math.round(value) : value;
}

function writeControl({ field, input, output }, value) {
  if (field.kind === "boolean") {
    input.checked = Boolean(value);
  } else if (field.kind === "enum") {
    input.value = String(value);
  } else if (input.type === "range") {
    const shown = value ?? field.defaultValue ?? field.minimum;
    input.value = String(sliderPosition(field, shown));
    input.dataset.exactValue = String(shown);
    output.textContent = formatNumber(shown);
  } else {
    input.value = value == null ? "" : String(value);
  }
}

/**
 * Creates one control per field inside `container`.
 * `onChange(values, name)` runs after every user edit. Returns
 * { getValues(), setValues(partial), setDisabled(bool), element(name) }.
 */
export function createSchemaForm(container, fields, { onChange, hidden = [] } = {}) {
  const controls = new Map();
  for (const field of fields) {
    const control = createControl(field, () => {
      if (control.output) control.output.textContent = formatNumber(readControl(control));
      onChange?.(getValues(), field.name);
    });
    control.wrapper.hidden = hidden.includes(field.name);
    controls.set(field.name, control);
    container.append(control.wrapper);
  }

  function getValues() {
    return Object.fromEntries(
      [...controls.values()].map((control) => [control.field.name, readControl(control)]),
    );
  }

  function setValues(values) {
    for (const [name, value] of Object.entries(values)) {
      if (controls.has(name)) writeControl(controls.get(name), value);
    }
  }

  return {
    getValues,
    setValues,
    setDisabled(isDisabled) {
      for (const control of controls.values()) control.input.disabled = isDisabled;
    },
    element: (name) => controls.get(name)?.wrapper ?? null,
  };
}
