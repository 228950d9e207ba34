// The perceptron's decision function, evaluated in the browser for drawing,
// and the small choices of the page that depend on it.

// Chart colour of each weight, keyed by feature name so that a weight keeps
// its colour when the bias is switched off and the other weights move up.
const WEIGHT_COLORS = Object.freeze({
  bias: "#1d2430",
  x1: "#2c7bb6",
  x2: "#e66101",
  "x1*x2": "#7b3294",
});
const FALLBACK_WEIGHT_COLOR = "#888888";

/** Builds the feature vector of (x1, x2) in the order given by `featureNames`. */
export function featureVector(featureNames, x1, x2) {
  return featureNames.map((name) => {
    switch (name) {
      case "bias":
        return 1;
      case "x1":
        return x1;
      case "x2":
        return x2;
      case "x1*x2":
        return x1 * x2;
      default:
        throw new Error(`Unknown perceptron feature "${name}"`);
    }
  });
}

/** Activation x . w of the point (x1, x2). */
export function activation(weights, featureNames, x1, x2) {
  const features = featureVector(featureNames, x1, x2);
  return features.reduce((sum, feature, index) => sum + feature * weights[index], 0);
}

/** Heaviside output: 1 when the activation is above 0, else 0 (as on the server). */
export function predictClass(weights, featureNames, x1, x2) {
  return activation(weights, featureNames, x1, x2) > 0 ? 1 : 0;
}

/** Share of points whose predicted class equals their label. */
export function accuracy(weights, featureNames, points) {
  if (points.length === 0) return 0;
  const correct = points.filter(
    (point) => predictClass(weights, featureNames, point.x1, point.x2) === point.label,
  ).length;
  return correct / points.length;
}

/** Readable formula of the activation, e.g. "0.012 + 0.3*x1 - 0.1*x2". */
export function formatActivation(weights, featureNames) {
  return featureNames
    .map((name, index) => {
      const weight = weights[index];
      const magnitude = Math.abs(weight).toPrecision(3);
      const term = name === "bias" ? magnitude : `${magnitude}·${name}`;
      if (index === 0) return weight < 0 ? `-${term}` : term;
      return weight < 0 ? `- ${term}` : `+ ${term}`;
    })
    .join(" ");
}

/** Returns the chart colour of the weight of feature `name`. */
export function weightColor(name) {
  return WEIGHT_COLORS[name] ?? FALLBACK_WEIGHT_COLOR;
}

/**
 * Returns the Run button's label for player `status` ("ready" before the
 * first run is loaded). `isAtStart` is true for a run paused before its
 * first step. Run always starts a new run from the first step, so it reads
 * "Restart" during a run and "Run again" once a run has finished or stopped.
 */
export function runButtonLabel(status, isAtStart) {
  if (isAtStart || status === "ready") return "Run";
  if (status === "finished" || status === "stopped") return "Run again";
  return "Restart";
}
