/**
 * One network configuration trained on shared data, epoch by epoch.
 *
 * An epoch is one pass over the training set in mini-batches, in an order
 * shuffled by the "batches" stream of the seed. Pure: no DOM, no timers.
 */
import { buildInputs } from "./features.js";
import {
  applyGradients,
  buildNetwork,
  cloneNetwork,
  computeGradients,
  createGradients,
  createWorkspace,
  forward,
  hasFiniteParameters,
} from "./nn.js";
import { createRandom } from "./random.js";

/**
 * Describes why a run stopped on a non-finite loss, in plain words.
 *
 * With L2 every step multiplies each weight by (1 - learningRate * rate)
 * before the data part. Once that factor is below -1, the weights flip sign
 * and grow on every step, whatever the data. Otherwise the usual cause is a
 * learning rate so large that each step overshoots and the weights grow.
 */
export function explainFailure({
  epoch,
  isNotANumber,
  learningRate,
  regularization,
  regularizationRate,
}) {
  const lossState = isNotANumber ? "not a number (NaN)" : "infinite";
  const opening = `Training stopped at epoch ${epoch}: the loss became ${lossState}.`;
  const shrinkFactor = 1 - learningRate * regularizationRate;
  let reason;
  let cause;
  if (regularization === "L2" && shrinkFactor < -1) {
    cause = "regularization";
    reason =
      `With learning rate ${learningRate} and L2 rate ${regularizationRate}, ` +
      `each step multiplies every weight by ${shrinkFactor.toPrecision(3)}, ` +
      "so the weights change sign and grow on every step until the numbers " +
      "overflow. Lower the regularization rate or the learning rate.";
  } else {
    cause = "learningRate";
    reason =
      `The learning rate ${learningRate} is too large for this network: ` +
      "each step jumps past the minimum of the loss and lands further " +
      "away, so the weights grow until the numbers overflow. " +
      "Lower the learning rate.";
  }
  const after =
    `The view shows the network as it was after epoch ${epoch - 1}. ` +
    "Press Reset to start again.";
  return { cause, message: `${opening} ${reason} ${after}` };
}

function targetsOf(points) {
  return Float64Array.from(points, (point) => point.label);
}

/** Returns the mean 1/2 (output - label)^2 and, for classification, accuracy. */
export function evaluateNetwork(network, inputs, targets, problem, workspace) {
  const numInputs = network.layerSizes[0];
  let lossTotal = 0;
  let numCorrect = 0;
  for (let k = 0; k < targets.length; k++) {
    const output = forward(network, inputs, k * numInputs, workspace);
    const error = output - targets[k];
    lossTotal += (error * error) / 2;
    if ((output >= 0 ? 1 : -1) === targets[k]) numCorrect++;
  }
  const count = targets.length;
  return {
    loss: count ? lossTotal / count : NaN,
    accuracy: problem === "classification" && count ? numCorrect / count : null,
  };
}

/**
 * Creates a trainer.
 *
 * `config` contains features, networkShape (hidden layer sizes), activation,
 * learningRate, regularization, regularizationRate and initZero. `data` is
 * `{ train, test }`, arrays of points that the trainer reads but never
 * changes; call `refreshData` after changing them.
 */
export function createTrainer({ config, data, problem, seed, batchSize }) {
  const settings = { ...config };
  let network;
  let workspace;
  let gradients;
  let batchRandom;
  let epoch;
  let history;
  let failure;
  const sets = {};

  function rebuildInputs() {
    for (const name of ["train", "test"]) {
      sets[name] = {
        points: data[name],
        inputs: buildInputs(data[name], settings.features),
        targets: targetsOf(data[name]),
      };
    }
  }

  function evaluate() {
    const train = evaluateNetwork(
      network,
      sets.train.inputs,
      sets.train.targets,
      problem,
      workspace,
    );
    const test = evaluateNetwork(
      network,
      sets.test.inputs,
      sets.test.targets,
      problem,
      workspace,
    );
    return {
      epoch,
      trainLoss: train.loss,
      testLoss: test.loss,
      trainAccuracy: train.accuracy,
      testAccuracy: test.accuracy,
    };
  }

  function reset() {
    network = buildNetwork({
      layerSizes: [settings.features.length, ...settings.networkShape, 1],
      activation: settings.activation,
      outputActivation: problem === "regression" ? "linear" : "tanh",
      random: createRandom(seed, "weights"),
      initZero: settings.initZero,
    });
    workspace = createWorkspace(network);
    gradients = createGradients(network);
    batchRandom = createRandom(seed, "batches");
    epoch = 0;
    failure = null;
    // NOTE: the history keeps one record per epoch without thinning, which
    // at 50 epochs per frame is about 3,000 small objects a second.
    history = [evaluate()];
  }

  function runBatches() {
    const { inputs, targets } = sets.train;
    const order = batchRandom.shuffle(
      Array.from({ length: targets.length }, (_, k) => k),
    );
    for (let first = 0; first < order.length; first += batchSize) {
      const last = Math.min(first + batchSize, order.length);
      computeGradients(
        network,
        { inputs, targets, first, last, order },
        settings.regularization,
        settings.regularizationRate,
        gradients,
        workspace,
      );
      applyGradients(
        network,
        gradients,
        settings.learningRate,
        settings.regularization,
        settings.regularizationRate,
      );
    }
  }

  /**
   * Trains one epoch and returns its record, or null when the run has failed
   * or the training set is empty.
   *
   * A non-finite loss or parameter restores the weights from before the
   * epoch and sets `failure` (epoch, cause, message); later calls do nothing
   * until `reset`.
   */
  function trainEpoch() {
    if (failure || sets.train.targets.length === 0) return null;
    const before = cloneNetwork(network);
    runBatches();
    epoch += 1;
    const record = evaluate();
    const isLossFinite =
      Number.isFinite(record.trainLoss) &&
      (sets.test.targets.length === 0 || Number.isFinite(record.testLoss));
    if (isLossFinite && hasFiniteParameters(network)) {
      history.push(record);
      return record;
    }
    failure = {
      epoch,
      ...explainFailure({
        epoch,
        isNotANumber: Number.isNaN(record.trainLoss) || !hasFiniteParameters(network),
        learningRate: settings.learningRate,
        regularization: settings.regularization,
        regularizationRate: settings.regularizationRate,
      }),
    };
    network = before;
    epoch -= 1;
    return null;
  }

  /** Rereads `data` after points were added or replaced, keeping weights. */
  function refreshData() {
    rebuildInputs();
    history[history.length - 1] = evaluate();
  }

  /** Sets one weight (layer l to l + 1, from i to j) or, with i = null, a bias. */
  function setParameter(layerIndex, toIndex, fromIndex, value) {
    if (fromIndex === null) {
      network.biases[layerIndex][toIndex] = value;
    } else {
      const fanIn = network.layerSizes[layerIndex];
      network.weights[layerIndex][toIndex * fanIn + fromIndex] = value;
    }
    history[history.length - 1] = evaluate();
  }

  /** Changes the learning rate and keeps the trained weights. */
  function setLearningRate(rate) {
    settings.learningRate = rate;
  }

  rebuildInputs();
  reset();

  return {
    reset,
    trainEpoch,
    refreshData,
    setParameter,
    setLearningRate,
    get network() {
      return network;
    },
    get epoch() {
      return epoch;
    },
    get history() {
      return history;
    },
    get failure() {
      return failure;
    },
    get latest() {
      return history[history.length - 1];
    },
    get config() {
      return { ...settings };
    },
    get problem() {
      return problem;
    },
  };
}
