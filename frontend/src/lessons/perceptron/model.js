// The perceptron's decision function, evaluated in the browser for drawing.

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
