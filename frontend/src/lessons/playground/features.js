/**
 * Input features computed from a point (x1, x2) of the data domain.
 *
 * `displayScale` is the largest |value| over the domain [-6, 6]^2, used to map
 * a feature onto the colour scale [-1, 1] in its thumbnail.
 */
export const FEATURES = [
  { id: "x1", label: "x₁", compute: (x1) => x1, displayScale: 6 },
  { id: "x2", label: "x₂", compute: (x1, x2) => x2, displayScale: 6 },
  { id: "x1Squared", label: "x₁²", compute: (x1) => x1 * x1, displayScale: 36 },
  {
    id: "x2Squared",
    label: "x₂²",
    compute: (x1, x2) => x2 * x2,
    displayScale: 36,
  },
  {
    id: "x1TimesX2",
    label: "x₁x₂",
    compute: (x1, x2) => x1 * x2,
    displayScale: 36,
  },
  { id: "sinX1", label: "sin(x₁)", compute: (x1) => Math.sin(x1), displayScale: 1 },
  {
    id: "sinX2",
    label: "sin(x₂)",
    compute: (x1, x2) => Math.sin(x2),
    displayScale: 1,
  },
];

export const FEATURE_IDS = FEATURES.map((feature) => feature.id);

const FEATURES_BY_ID = new Map(FEATURES.map((feature) => [feature.id, feature]));

/** Returns the feature record for `id`, or throws for an unknown id. */
export function getFeature(id) {
  const feature = FEATURES_BY_ID.get(id);
  if (!feature) {
    throw new RangeError(
      `unknown feature "${id}"; expected one of ${FEATURE_IDS.join(", ")}`,
    );
  }
  return feature;
}

/** Returns `featureIds` in the fixed order of FEATURES, without duplicates. */
export function orderFeatures(featureIds) {
  const wanted = new Set(featureIds);
  return FEATURE_IDS.filter((id) => wanted.has(id));
}

/**
 * Builds the network inputs for `points`: a flat Float64Array with one row of
 * `featureIds.length` values per point.
 */
export function buildInputs(points, featureIds) {
  const features = featureIds.map(getFeature);
  const inputs = new Float64Array(points.length * features.length);
  points.forEach((point, row) => {
    features.forEach((feature, column) => {
      inputs[row * features.length + column] = feature.compute(
        point.x1,
        point.x2,
      );
    });
  });
  return inputs;
}
