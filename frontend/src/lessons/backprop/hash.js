// The lesson's state in the URL hash, so that a link rebuilds the same graph:
// #expression=...&leaves=x1:1.5:input,w1:0.5:trainable&lr=0.01
// A learning rate of "none" means no update step.

const ROLES = new Set(["input", "target", "trainable"]);
const LEAF_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// The value and role of a leaf that has none yet: a new row in the editor, or a
// link entry whose value or role is invalid.
export const DEFAULT_LEAF = Object.freeze({ value: 1, role: "input" });

/** Returns the hash text for an expression, its leaves and the learning rate. */
export function encodeLessonHash({ expression, leaves, learningRate }) {
  const entries = new URLSearchParams();
  entries.set("expression", expression);
  entries.set(
    "leaves",
    Object.entries(leaves)
      .map(([name, leaf]) => `${name}:${leaf.value}:${leaf.role}`)
      .join(","),
  );
  entries.set("lr", learningRate == null ? "none" : String(learningRate));
  return `#${entries.toString()}`;
}

/**
 * Reads one "name:value:role" entry. An invalid value or role is replaced by
 * the fallback and described in `problems`. Returns null for an entry
 * without a valid name.
 */
function decodeLeaf(item, problems) {
  const [name, valueText = "", role = ""] = item.split(":");
  if (!LEAF_NAME.test(name ?? "")) {
    problems.push(
      `The link's leaf entry "${item}" does not start with a valid name, so it is skipped.`,
    );
    return null;
  }
  const leaf = { value: Number(valueText), role };
  if (valueText.trim() === "" || !Number.isFinite(leaf.value)) {
    leaf.value = DEFAULT_LEAF.value;
    problems.push(
      `The link gives ${name} the value "${valueText}", which is not a finite number, ` +
        `so ${name} starts at ${DEFAULT_LEAF.value} instead.`,
    );
  }
  if (!ROLES.has(role)) {
    leaf.role = DEFAULT_LEAF.role;
    problems.push(
      `The link gives ${name} the role "${role}", which is not input, target or ` +
        `trainable, so ${name} is an ${DEFAULT_LEAF.role} instead.`,
    );
  }
  return [name, leaf];
}

/**
 * Reads the state from a hash, or returns null when the hash has no
 * expression. `problems` lists, in words, every part of the link that could
 * not be used as it is: leaves with an invalid value or role keep their row
 * with the fallback value or role, and an invalid learning rate is left
 * undefined, so the page uses its default.
 */
export function decodeLessonHash(hash) {
  const entries = new URLSearchParams(hash.replace(/^#/, ""));
  const expression = entries.get("expression");
  if (!expression) return null;
  const problems = [];
  const leaves = {};
  for (const item of (entries.get("leaves") ?? "").split(",")) {
    if (item === "") continue;
    const decoded = decodeLeaf(item, problems);
    if (decoded) leaves[decoded[0]] = decoded[1];
  }
  const rateText = entries.get("lr");
  let learningRate;
  if (rateText === "none") {
    learningRate = null;
  } else if (rateText && Number.isFinite(Number(rateText))) {
    learningRate = Number(rateText);
  } else if (rateText != null) {
    problems.push(
      `The link's learning rate "${rateText}" is not a number, so the default is used.`,
    );
  }
  return { expression, leaves, learningRate, problems };
}
