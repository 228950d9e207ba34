// The lesson's state in the URL hash, so that a link rebuilds the same graph:
// #expression=...&leaves=x1:1.5:input,w1:0.5:trainable&lr=0.01
// A learning rate of "none" means no update step.

const ROLES = new Set(["input", "target", "trainable"]);

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
 * Reads the state from a hash, or returns null when the hash has no
 * expression. Leaves with an unreadable value or role are skipped, so the
 * server reports them as unknown names instead of the page failing.
 */
export function decodeLessonHash(hash) {
  const entries = new URLSearchParams(hash.replace(/^#/, ""));
  const expression = entries.get("expression");
  if (!expression) return null;
  const leaves = {};
  for (const item of (entries.get("leaves") ?? "").split(",")) {
    const [name, valueText, role] = item.split(":");
    const value = Number(valueText);
    if (!name || valueText === "" || !Number.isFinite(value) || !ROLES.has(role)) continue;
    leaves[name] = { value, role };
  }
  // An absent or unreadable rate stays undefined, so the page uses its default.
  const rateText = entries.get("lr");
  let learningRate;
  if (rateText === "none") learningRate = null;
  else if (rateText && Number.isFinite(Number(rateText))) learningRate = Number(rateText);
  return { expression, leaves, learningRate };
}
