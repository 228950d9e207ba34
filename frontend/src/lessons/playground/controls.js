/**
 * Form controls built from the settings table: a select, a slider over the
 * allowed values, a checkbox or a number box, chosen by `setting.control`.
 */
import { describeRejectedInput, parseSettingValue } from "./settings.js";

const VALUE_LABELS = {
  relu: "ReLU",
  tanh: "Tanh",
  sigmoid: "Sigmoid",
  linear: "Linear",
  none: "None",
  classification: "Classification",
  regression: "Regression",
};

export function formatSettingLabel(value) {
  return VALUE_LABELS[value] ?? String(value);
}

function createSelect(setting) {
  const input = document.createElement("select");
  setting.values.forEach((value, index) => {
    const option = document.createElement("option");
    option.value = String(index);
    option.textContent = formatSettingLabel(value);
    input.append(option);
  });
  return {
    input,
    read: () => setting.values[Number(input.value)],
    write: (value) => {
      input.value = String(setting.values.indexOf(value));
    },
  };
}

/** Creates a slider over the indices of `values`, or over minimum..maximum. */
function createSlider(setting, output) {
  const input = document.createElement("input");
  input.type = "range";
  const hasValues = Array.isArray(setting.values);
  input.min = hasValues ? "0" : String(setting.minimum);
  input.max = hasValues ? String(setting.values.length - 1) : String(setting.maximum);
  input.step = "1";
  const read = () => (hasValues ? setting.values[Number(input.value)] : Number(input.value));
  input.addEventListener("input", () => {
    output.textContent = String(read());
  });
  return {
    input,
    read,
    write: (value) => {
      input.value = String(hasValues ? setting.values.indexOf(value) : value);
      output.textContent = String(value);
    },
  };
}

function createCheckbox() {
  const input = document.createElement("input");
  input.type = "checkbox";
  return {
    input,
    read: () => input.checked,
    write: (value) => {
      input.checked = Boolean(value);
    },
  };
}

function createNumberBox(setting) {
  const input = document.createElement("input");
  input.type = "number";
  input.min = String(setting.minimum);
  input.max = String(setting.maximum);
  input.step = "1";
  let lastValid = setting.defaultValue;
  return {
    input,
    // The same rule as for the value in a link, so a field and a link accept the same text.
    read: () => parseSettingValue(setting, input.value),
    write: (value) => {
      lastValid = value;
      input.value = String(value);
    },
    /** Puts back the last valid value and returns the message that explains why. */
    restore: () => {
      const text = input.validity?.badInput ? null : input.value;
      const message = describeRejectedInput(setting, text, lastValid);
      input.value = String(lastValid);
      return message;
    },
  };
}

/**
 * Creates the control for `setting`. `onChange(value)` runs after each edit
 * with a valid value. An invalid number is put back to the last valid one,
 * and `onReject(message)` receives the explanation.
 * `idPrefix` keeps ids unique when two configurations show the same setting.
 * Returns { element, input, setValue(value), setDisabled(isDisabled) }.
 */
export function createSettingControl(setting, { onChange, onReject = () => {}, idPrefix = "pg" }) {
  const element = document.createElement("label");
  element.className = `field pg-field pg-field-${setting.control}`;
  element.dataset.control = setting.name;
  if (setting.help) element.title = setting.help;
  const caption = document.createElement("span");
  caption.className = "field-label";
  caption.textContent = setting.label;
  const output = document.createElement("output");

  let widget;
  if (setting.control === "select") widget = createSelect(setting);
  else if (setting.control === "slider") widget = createSlider(setting, output);
  else if (setting.control === "checkbox") widget = createCheckbox();
  else widget = createNumberBox(setting);

  widget.input.name = setting.name;
  widget.input.id = `${idPrefix}-${setting.name}`;
  const eventName = setting.control === "slider" ? "input" : "change";
  widget.input.addEventListener(eventName, () => {
    const value = widget.read();
    if (value === undefined) {
      const message = widget.restore?.();
      if (message) onReject(message);
      return;
    }
    onChange(value);
  });

  if (setting.control === "checkbox") {
    element.classList.add("field-boolean");
    element.append(widget.input, caption);
  } else {
    element.append(caption, widget.input);
    if (setting.control === "slider") element.append(output);
  }
  return {
    element,
    input: widget.input,
    setValue: widget.write,
    setDisabled(isDisabled) {
      widget.input.disabled = isDisabled;
    },
  };
}
