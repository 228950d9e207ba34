// Text for the log line, built from the structured numbers of each event.
// The server sends values, operands and chain-rule terms as numbers; this
// module only decides how to write them.

const SIGNIFICANT_DIGITS = 8;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NUMBER = /^\d+(\.\d*)?([eE][+-]?\d+)?$|^\.\d+([eE][+-]?\d+)?$/;

/**
 * Formats a number with at most 8 significant digits and no trailing zeros,
 * so that float noise such as -9.037500000000001 reads as -9.0375.
 */
export function formatValue(value) {
  if (value == null) return "?";
  const rounded = Number(value.toPrecision(SIGNIFICANT_DIGITS));
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/** Formats a number as an operand: negative numbers get parentheses. */
function formatOperand(value) {
  const text = formatValue(value);
  return text.startsWith("-") ? `(${text})` : text;
}

/** True for a name, a plain number or a whole function call such as relu(x + 1). */
export function isAtomic(label) {
  if (IDENTIFIER.test(label) || NUMBER.test(label)) return true;
  const call = /^[A-Za-z_][A-Za-z0-9_]*\(/.exec(label);
  if (!call || !label.endsWith(")")) return false;
  // The call's opening parenthesis must close at the very end of the label.
  let depth = 0;
  for (let index = call[0].length - 1; index < label.length; index += 1) {
    if (label[index] === "(") depth += 1;
    if (label[index] === ")") depth -= 1;
    if (depth === 0 && index < label.length - 1) return false;
  }
  return true;
}

/** Puts parentheses around a label unless it is atomic. */
export function wrap(label) {
  return isAtomic(label) ? label : `(${label})`;
}

/** Returns the symbol for d output / d node, such as dL/dh1 or dL/d(x*w). */
export function gradientSymbol(label) {
  return `dL/d${wrap(label)}`;
}

function exponentText(exponent) {
  const text = formatValue(exponent);
  return exponent < 0 || !Number.isInteger(exponent) ? `(${text})` : text;
}

/** Writes an operation applied to input texts (labels or formatted numbers). */
export function applyOperation(op, inputs, exponent) {
  const [first, second] = inputs;
  switch (op) {
    case "add":
      return `${first} + ${second}`;
    case "sub":
      return `${first} - ${second}`;
    case "mul":
      return `${first} * ${second}`;
    case "div":
      return `${first} / ${second}`;
    case "neg":
      return `-${first}`;
    case "pow":
      return `${first}^${exponentText(exponent)}`;
    case "squared_error":
      return `(${first} - ${second})^2`;
    default:
      return `${op}(${inputs.join(", ")})`;
  }
}

const OP_SYMBOLS = {
  add: "+",
  sub: "−",
  mul: "×",
  div: "÷",
  neg: "−x",
  relu: "relu",
  sigmoid: "σ",
  tanh: "tanh",
  squared_error: "(a−b)²",
};

/** Returns the short sign drawn in an operation's node: +, ×, ^2, relu, σ. */
export function opSymbol(node) {
  if (node.op === "pow") return `^${exponentText(node.exponent)}`;
  return OP_SYMBOLS[node.op] ?? node.op;
}

function isFunction(op) {
  return op === "relu" || op === "sigmoid" || op === "tanh";
}

/**
 * Writes the symbolic local derivative d consumer / d input for input slot
 * `inputIndex`, with node labels from `nodesById`.
 */
export function localDerivativeText(consumer, inputIndex, nodesById) {
  const labels = consumer.inputs.map((id) => wrap(nodesById.get(id).label));
  const own = wrap(consumer.label);
  const [first, second] = labels;
  switch (consumer.op) {
    case "add":
      return "1";
    case "sub":
      return inputIndex === 0 ? "1" : "(-1)";
    case "mul":
      return inputIndex === 0 ? second : first;
    case "div":
      return inputIndex === 0 ? `1/${second}` : `(-${first}/${second}^2)`;
    case "neg":
      return "(-1)";
    case "pow":
      return powerDerivativeText(first, consumer.exponent);
    case "relu":
      return `relu'(${labels[0]})`;
    case "sigmoid":
      return `${own}*(1 - ${own})`;
    case "tanh":
      return `(1 - ${own}^2)`;
    case "squared_error":
      return inputIndex === 0
        ? `2*(${first} - ${second})`
        : `(-2*(${first} - ${second}))`;
    default:
      return `d${own}/d${labels[inputIndex]}`;
  }
}

function powerDerivativeText(base, exponent) {
  if (exponent === 0) return "0";
  if (exponent === 1) return "1";
  if (exponent === 2) return `2*${base}`;
  return `${exponentText(exponent)}*${base}^${exponentText(exponent - 1)}`;
}

/**
 * Describes a forward event: "h1 = x1*w1 + b1 = 0.75 + 2 = 2.75".
 * A node named by the expression shows its formula in input labels first.
 */
export function forwardText(event, nodesById) {
  const node = nodesById.get(event.node);
  const labels = node.inputs.map((id) => wrap(nodesById.get(id).label));
  const operands = isFunction(node.op)
    ? event.operands.map(formatValue)
    : event.operands.map(formatOperand);
  const numeric = applyOperation(node.op, operands, node.exponent);
  const parts = [node.label];
  if (IDENTIFIER.test(node.label)) parts.push(applyOperation(node.op, labels, node.exponent));
  parts.push(numeric, formatValue(event.value));
  return parts.join(" = ");
}

/**
 * Describes a backward event with the chain rule:
 * "dL/dw2 = dL/d(h1*w2) * h1 = -12.05 * 2.75 = -33.1375".
 * A node used several times gets one term per use, added together.
 */
export function backwardText(event, nodesById) {
  const node = nodesById.get(event.node);
  const symbol = gradientSymbol(node.label);
  if (event.terms.length === 0) {
    return `${symbol} = 1, because L is ${node.label} itself`;
  }
  const symbolic = event.terms.map((term) => {
    const consumer = nodesById.get(term.consumer);
    const local = localDerivativeText(consumer, term.input_index, nodesById);
    return `${gradientSymbol(consumer.label)} * ${local}`;
  });
  const numeric = event.terms.map(
    (term) => `${formatValue(term.upstream_grad)} * ${formatOperand(term.local_derivative)}`,
  );
  return [symbol, symbolic.join(" + "), numeric.join(" + "), formatValue(event.grad)].join(
    " = ",
  );
}

/** Describes an update event: the learning rate and the loss before and after. */
export function updateText(event) {
  return (
    `Gradient-descent step with learning rate ${formatValue(event.learning_rate)}: ` +
    `each trainable value moves by -${formatValue(event.learning_rate)} * its gradient, ` +
    `and the loss goes from ${formatValue(event.loss)} to ${formatValue(event.new_loss)}`
  );
}

/** Writes one weight change: "w1 = 0.5 - 0.01 * (-9.0375) = 0.590375". */
export function weightChangeText(change, learningRate) {
  return (
    `${change.label} = ${formatValue(change.value)} - ${formatValue(learningRate)} * ` +
    `${formatOperand(change.grad)} = ${formatValue(change.new_value)}`
  );
}

/** Describes any step event for the log line. */
export function describeStep(event, nodesById) {
  if (event.type === "forward") return forwardText(event, nodesById);
  if (event.type === "backward") return backwardText(event, nodesById);
  if (event.type === "update") return updateText(event);
  return "";
}
