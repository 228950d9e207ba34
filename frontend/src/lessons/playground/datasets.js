/**
 * Two-dimensional toy data sets on the domain [-6, 6]^2.
 *
 * A point is `{ x1, x2, label }`. Classification labels are +1 or -1;
 * regression labels lie in [-1, 1]. `noise` is a percentage (0 to 50 in the
 * form): it jitters the inputs, and each label stays the one of the point
 * before the jitter, so a high noise level mixes the classes near a boundary.
 */
import { createRandom } from "./random.js";

export const DOMAIN_LIMIT = 6;
export const CLASSIFICATION_SIZE = 500;
export const REGRESSION_SIZE = 1200;

function clampToDomain(value) {
  return Math.max(-DOMAIN_LIMIT, Math.min(DOMAIN_LIMIT, value));
}

/** Builds a point with `jitter` added to each input, kept inside the domain. */
function makePoint(x1, x2, label, jitter, random) {
  return {
    x1: clampToDomain(x1 + random.uniform(-jitter, jitter)),
    x2: clampToDomain(x2 + random.uniform(-jitter, jitter)),
    label,
  };
}

/** Builds a disc of +1 points (radius 2.5) inside a ring of -1 points (3.5 to 5). */
function generateCircle(numSamples, noise, random) {
  const outerRadius = 5;
  const jitter = (outerRadius * noise) / 100;
  const points = [];
  for (let i = 0; i < numSamples; i++) {
    const isInside = i < numSamples / 2;
    const radius = isInside
      ? random.uniform(0, 0.5 * outerRadius)
      : random.uniform(0.7 * outerRadius, outerRadius);
    const angle = random.uniform(0, 2 * Math.PI);
    const x1 = radius * Math.sin(angle);
    const x2 = radius * Math.cos(angle);
    points.push(makePoint(x1, x2, isInside ? 1 : -1, jitter, random));
  }
  return points;
}

/** Builds points in [-5, 5]^2 labelled by the sign of x1 * x2. */
function generateXor(numSamples, noise, random) {
  const axisGap = 0.3;
  const jitter = (5 * noise) / 100;
  const points = [];
  for (let i = 0; i < numSamples; i++) {
    let x1 = random.uniform(-5, 5);
    let x2 = random.uniform(-5, 5);
    // Keep points off the axes, where the label would flip on a hair.
    x1 += x1 > 0 ? axisGap : -axisGap;
    x2 += x2 > 0 ? axisGap : -axisGap;
    const label = x1 * x2 >= 0 ? 1 : -1;
    points.push(makePoint(x1, x2, label, jitter, random));
  }
  return points;
}

/** Builds two Gaussian clusters at (2, 2) (+1) and (-2, -2) (-1). */
function generateGauss(numSamples, noise, random) {
  const standardDeviation = 0.5 + (3.5 * noise) / 100;
  const points = [];
  for (let i = 0; i < numSamples; i++) {
    const label = i < numSamples / 2 ? 1 : -1;
    const x1 = random.normal(2 * label, standardDeviation);
    const x2 = random.normal(2 * label, standardDeviation);
    points.push(makePoint(x1, x2, label, 0, random));
  }
  return points;
}

/** Builds two interleaved spiral arms, each turning 1.75 times to radius 5. */
function generateSpiral(numSamples, noise, random) {
  const perArm = Math.floor(numSamples / 2);
  const jitter = noise / 50;
  const points = [];
  for (const [label, phase] of [
    [1, 0],
    [-1, Math.PI],
  ]) {
    for (let i = 0; i < perArm; i++) {
      const progress = i / perArm;
      const radius = 5 * progress;
      const angle = 1.75 * 2 * Math.PI * progress + phase;
      const x1 = radius * Math.sin(angle);
      const x2 = radius * Math.cos(angle);
      points.push(makePoint(x1, x2, label, jitter, random));
    }
  }
  while (points.length < numSamples) {
    points.push(makePoint(0, 0, 1, jitter, random));
  }
  return points;
}

/** Builds uniform points labelled by the plane (x1 + x2) / 12. */
function generatePlane(numSamples, noise, random) {
  const jitter = (DOMAIN_LIMIT * noise) / 100;
  const points = [];
  for (let i = 0; i < numSamples; i++) {
    const x1 = random.uniform(-DOMAIN_LIMIT, DOMAIN_LIMIT);
    const x2 = random.uniform(-DOMAIN_LIMIT, DOMAIN_LIMIT);
    const label = (x1 + x2) / (2 * DOMAIN_LIMIT);
    points.push(makePoint(x1, x2, label, jitter, random));
  }
  return points;
}

// Six bumps of alternating sign on a 3 x 2 grid.
const BUMPS = [
  { x1: -4, x2: 2.5, sign: 1 },
  { x1: 0, x2: 2.5, sign: -1 },
  { x1: 4, x2: 2.5, sign: 1 },
  { x1: -4, x2: -2.5, sign: -1 },
  { x1: 0, x2: -2.5, sign: 1 },
  { x1: 4, x2: -2.5, sign: -1 },
];
const BUMP_WIDTH = 1.6;

/** Returns the signed sum of the Gaussian bumps at (x1, x2), clipped to [-1, 1]. */
export function evaluateBumps(x1, x2) {
  let total = 0;
  for (const bump of BUMPS) {
    const squaredDistance = (x1 - bump.x1) ** 2 + (x2 - bump.x2) ** 2;
    total +=
      bump.sign * Math.exp(-squaredDistance / (2 * BUMP_WIDTH * BUMP_WIDTH));
  }
  return Math.max(-1, Math.min(1, total));
}

/** Builds uniform points labelled by six signed Gaussian bumps. */
function generateMultiGauss(numSamples, noise, random) {
  const jitter = (DOMAIN_LIMIT * noise) / 100;
  const points = [];
  for (let i = 0; i < numSamples; i++) {
    const x1 = random.uniform(-DOMAIN_LIMIT, DOMAIN_LIMIT);
    const x2 = random.uniform(-DOMAIN_LIMIT, DOMAIN_LIMIT);
    points.push(makePoint(x1, x2, evaluateBumps(x1, x2), jitter, random));
  }
  return points;
}

export const DATASETS = {
  circle: { problem: "classification", label: "Circle", generate: generateCircle },
  xor: { problem: "classification", label: "Exclusive or", generate: generateXor },
  gauss: {
    problem: "classification",
    label: "Two Gaussians",
    generate: generateGauss,
  },
  spiral: { problem: "classification", label: "Spiral", generate: generateSpiral },
  plane: { problem: "regression", label: "Plane", generate: generatePlane },
  multiGauss: {
    problem: "regression",
    label: "Multiple Gaussians",
    generate: generateMultiGauss,
  },
};

export const DATASET_NAMES = Object.keys(DATASETS);

/** Returns the data set names for "classification" or "regression". */
export function datasetsForProblem(problem) {
  return DATASET_NAMES.filter((name) => DATASETS[name].problem === problem);
}

export function sampleCountFor(problem) {
  return problem === "regression" ? REGRESSION_SIZE : CLASSIFICATION_SIZE;
}

/**
 * Generates data set `name` from `seed` and splits it.
 *
 * `trainPercent` of the points, rounded, go to `train`; the rest to `test`.
 * The split is a seeded shuffle, so one seed gives the same two sets.
 */
export function generateData({ name, noise, trainPercent, seed }) {
  const dataset = DATASETS[name];
  if (!dataset) {
    throw new RangeError(
      `unknown data set "${name}"; expected one of ${DATASET_NAMES.join(", ")}`,
    );
  }
  const random = createRandom(seed, "data");
  const points = dataset.generate(sampleCountFor(dataset.problem), noise, random);
  return splitTrainTest(points, trainPercent, random);
}

/** Shuffles `points` with `random` and splits them at `trainPercent`. */
export function splitTrainTest(points, trainPercent, random) {
  const shuffled = random.shuffle(points.slice());
  const numTrain = Math.round((shuffled.length * trainPercent) / 100);
  return { train: shuffled.slice(0, numTrain), test: shuffled.slice(numTrain) };
}
