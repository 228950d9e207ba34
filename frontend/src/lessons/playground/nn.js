/**
 * A small fully connected network trained by mini-batch gradient descent.
 *
 * Pure numerics: no DOM, no global state, no randomness except the generator
 * passed to `buildNetwork`.
 *
 * Layer l (0 = inputs) has `layerSizes[l]` neurons. `weights[l]` maps layer l
 * to layer l + 1 and is stored row-major: the weight from neuron i of layer l
 * to neuron j of layer l + 1 is `weights[l][j * layerSizes[l] + i]`.
 * `biases[l][j]` belongs to neuron j of layer l + 1.
 *
 * The per-example loss is 1/2 (output - target)^2, for regression and for
 * classification with labels +1 and -1 alike. The regularisation penalty is
 * sum |w| (L1) or sum w^2 / 2 (L2) over the weights, never the biases.
 */

/** Activation functions with their derivative as a function of the input. */
export const ACTIVATIONS = {
  relu: {
    apply: (x) => (x > 0 ? x : 0),
    derivative: (x) => (x > 0 ? 1 : 0),
  },
  tanh: {
    apply: (x) => Math.tanh(x),
    derivative: (x) => {
      const t = Math.tanh(x);
      return 1 - t * t;
    },
  },
  sigmoid: {
    apply: (x) => 1 / (1 + Math.exp(-x)),
    derivative: (x) => {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 - s);
    },
  },
  linear: {
    apply: (x) => x,
    derivative: () => 1,
  },
};

export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS);

/**
 * Applies activation `name` to every element of `values` in place. Same
 * results as ACTIVATIONS[name].apply, in loops that V8 keeps monomorphic.
 */
export function activateInPlace(name, values) {
  const count = values.length;
  switch (name) {
    case "relu":
      for (let k = 0; k < count; k++) if (values[k] < 0) values[k] = 0;
      break;
    case "tanh":
      for (let k = 0; k < count; k++) values[k] = Math.tanh(values[k]);
      break;
    case "sigmoid":
      for (let k = 0; k < count; k++) values[k] = 1 / (1 + Math.exp(-values[k]));
      break;
    case "linear":
      break;
    default:
      throw new RangeError(`unknown activation "${name}"`);
  }
}
export const REGULARIZATIONS = ["none", "L1", "L2"];

// Initial values follow the common playground convention: weights uniform in
// [-0.5, 0.5], biases 0.1 so that ReLU units start active.
const INITIAL_WEIGHT_RANGE = 0.5;
const INITIAL_BIAS = 0.1;

function getActivation(name) {
  const activation = ACTIVATIONS[name];
  if (!activation) {
    throw new RangeError(
      `unknown activation "${name}"; expected one of ${ACTIVATION_NAMES.join(", ")}`,
    );
  }
  return activation;
}

/**
 * Builds a network with `layerSizes` = [inputs, ...hidden, outputs].
 *
 * Hidden neurons use `activation`; output neurons use `outputActivation`
 * ("tanh" for classification, "linear" for regression). Weights are drawn
 * from `random.uniform`, or set to zero when `initZero` is true.
 */
export function buildNetwork({
  layerSizes,
  activation,
  outputActivation,
  random,
  initZero = false,
}) {
  if (layerSizes.length < 2 || layerSizes.some((size) => size < 1)) {
    throw new RangeError(
      `layerSizes needs at least 2 layers of at least 1 neuron, got [${layerSizes}]`,
    );
  }
  getActivation(activation);
  getActivation(outputActivation);
  const weights = [];
  const biases = [];
  for (let l = 0; l + 1 < layerSizes.length; l++) {
    const layerWeights = new Float64Array(layerSizes[l] * layerSizes[l + 1]);
    if (!initZero) {
      for (let k = 0; k < layerWeights.length; k++) {
        layerWeights[k] = random.uniform(
          -INITIAL_WEIGHT_RANGE,
          INITIAL_WEIGHT_RANGE,
        );
      }
    }
    weights.push(layerWeights);
    biases.push(new Float64Array(layerSizes[l + 1]).fill(INITIAL_BIAS));
  }
  return {
    layerSizes: layerSizes.slice(),
    activation,
    outputActivation,
    weights,
    biases,
  };
}

/** Returns a deep copy of `network`. */
export function cloneNetwork(network) {
  return {
    ...network,
    layerSizes: network.layerSizes.slice(),
    weights: network.weights.map((layer) => layer.slice()),
    biases: network.biases.map((layer) => layer.slice()),
  };
}

/**
 * Creates the buffers that `forward` and `backward` reuse: the input
 * (`preActivations`), output (`activations`) and dLoss/dInput (`deltas`) of
 * every neuron, one Float64Array per layer. Layer 0 has only activations.
 */
export function createWorkspace(network) {
  const sizes = network.layerSizes;
  return {
    preActivations: sizes.map((size) => new Float64Array(size)),
    activations: sizes.map((size) => new Float64Array(size)),
    deltas: sizes.map((size) => new Float64Array(size)),
  };
}

/** Creates zeroed gradient buffers shaped like the network's parameters. */
export function createGradients(network) {
  return {
    weights: network.weights.map((layer) => new Float64Array(layer.length)),
    biases: network.biases.map((layer) => new Float64Array(layer.length)),
  };
}

export function zeroGradients(gradients) {
  gradients.weights.forEach((layer) => layer.fill(0));
  gradients.biases.forEach((layer) => layer.fill(0));
}

function activationForLayer(network, layerIndex) {
  const isOutput = layerIndex === network.layerSizes.length - 1;
  return ACTIVATIONS[isOutput ? network.outputActivation : network.activation];
}

/**
 * Runs the network on one example and returns the first output.
 *
 * `inputs` is a flat array and `offset` the index of the example's first
 * feature in it. Every neuron's input and output are left in `workspace`.
 */
export function forward(network, inputs, offset, workspace) {
  const sizes = network.layerSizes;
  const firstLayer = workspace.activations[0];
  for (let i = 0; i < sizes[0]; i++) firstLayer[i] = inputs[offset + i];

  for (let l = 1; l < sizes.length; l++) {
    const activation = activationForLayer(network, l);
    const previous = workspace.activations[l - 1];
    const layerInputs = workspace.preActivations[l];
    const layerOutputs = workspace.activations[l];
    const weights = network.weights[l - 1];
    const biases = network.biases[l - 1];
    const fanIn = sizes[l - 1];
    for (let j = 0; j < sizes[l]; j++) {
      let sum = biases[j];
      const row = j * fanIn;
      for (let i = 0; i < fanIn; i++) sum += weights[row + i] * previous[i];
      layerInputs[j] = sum;
      layerOutputs[j] = activation.apply(sum);
    }
  }
  return workspace.activations[sizes.length - 1][0];
}

/**
 * Adds dLoss/dParameter for the example last passed to `forward` to
 * `gradients`, where the loss is 1/2 (output - target)^2.
 */
export function backward(network, workspace, target, gradients) {
  const sizes = network.layerSizes;
  const last = sizes.length - 1;

  // Output layer: dLoss/dInput = (output - target) * f'(input).
  const outputActivation = activationForLayer(network, last);
  for (let j = 0; j < sizes[last]; j++) {
    const error = j === 0 ? workspace.activations[last][j] - target : 0;
    workspace.deltas[last][j] =
      error * outputActivation.derivative(workspace.preActivations[last][j]);
  }

  for (let l = last; l >= 1; l--) {
    const fanIn = sizes[l - 1];
    const deltas = workspace.deltas[l];
    const previous = workspace.activations[l - 1];
    const weights = network.weights[l - 1];
    const weightGradients = gradients.weights[l - 1];
    const biasGradients = gradients.biases[l - 1];
    for (let j = 0; j < sizes[l]; j++) {
      const row = j * fanIn;
      biasGradients[j] += deltas[j];
      for (let i = 0; i < fanIn; i++) {
        weightGradients[row + i] += deltas[j] * previous[i];
      }
    }
    if (l === 1) break;

    // Hidden layer below: dLoss/dInput_i = f'(input_i) * sum_j w_ji delta_j.
    const activation = activationForLayer(network, l - 1);
    const previousDeltas = workspace.deltas[l - 1];
    const previousInputs = workspace.preActivations[l - 1];
    for (let i = 0; i < fanIn; i++) {
      let sum = 0;
      for (let j = 0; j < sizes[l]; j++) sum += weights[j * fanIn + i] * deltas[j];
      previousDeltas[i] = sum * activation.derivative(previousInputs[i]);
    }
  }
}

/** Returns the penalty sum |w| (L1), sum w^2 / 2 (L2) or 0 ("none"). */
export function regularizationPenalty(network, regularization) {
  if (regularization === "none") return 0;
  let total = 0;
  for (const layer of network.weights) {
    for (const weight of layer) {
      total += regularization === "L1" ? Math.abs(weight) : (weight * weight) / 2;
    }
  }
  return total;
}

/** Returns d(penalty)/dw: sign(w) for L1 (0 at w = 0), w for L2. */
export function regularizationDerivative(weight, regularization) {
  if (regularization === "L1") return Math.sign(weight);
  if (regularization === "L2") return weight;
  return 0;
}

/**
 * Returns the training objective on examples `first` to `last - 1`:
 * the mean of 1/2 (output - target)^2 plus `rate` times the penalty.
 */
export function computeObjective(
  network,
  { inputs, targets, first = 0, last = targets.length },
  regularization,
  rate,
  workspace = createWorkspace(network),
) {
  const numInputs = network.layerSizes[0];
  let total = 0;
  for (let k = first; k < last; k++) {
    const error = forward(network, inputs, k * numInputs, workspace) - targets[k];
    total += (error * error) / 2;
  }
  const penalty = rate * regularizationPenalty(network, regularization);
  return total / (last - first) + penalty;
}

/**
 * Fills `gradients` with the gradient of `computeObjective` for the same
 * examples: the mean data gradient plus `rate` times d(penalty)/dw.
 */
export function computeGradients(
  network,
  { inputs, targets, first = 0, last = targets.length, order = null },
  regularization,
  rate,
  gradients,
  workspace = createWorkspace(network),
) {
  zeroGradients(gradients);
  const numInputs = network.layerSizes[0];
  for (let k = first; k < last; k++) {
    const example = order ? order[k] : k;
    forward(network, inputs, example * numInputs, workspace);
    backward(network, workspace, targets[example], gradients);
  }
  const count = last - first;
  network.weights.forEach((layer, l) => {
    const weightGradients = gradients.weights[l];
    for (let k = 0; k < layer.length; k++) {
      weightGradients[k] =
        weightGradients[k] / count +
        rate * regularizationDerivative(layer[k], regularization);
    }
  });
  gradients.biases.forEach((layer) => {
    for (let k = 0; k < layer.length; k++) layer[k] /= count;
  });
}

/**
 * Takes one gradient step w <- w - learningRate * gradient on every parameter.
 *
 * Under L1 the step is split: the data part first, then the penalty part. A
 * weight that the penalty part would push across zero is set to exactly zero
 * instead, because sign(w) only ever shrinks |w| and overshooting would make
 * the weight oscillate around zero forever.
 */
export function applyGradients(
  network,
  gradients,
  learningRate,
  regularization,
  rate,
) {
  network.weights.forEach((layer, l) => {
    const weightGradients = gradients.weights[l];
    for (let k = 0; k < layer.length; k++) {
      if (regularization !== "L1") {
        layer[k] -= learningRate * weightGradients[k];
        continue;
      }
      const penaltyStep = learningRate * rate * Math.sign(layer[k]);
      const afterData = layer[k] - (learningRate * weightGradients[k] - penaltyStep);
      const afterPenalty = afterData - learningRate * rate * Math.sign(afterData);
      layer[k] = afterData * afterPenalty < 0 ? 0 : afterPenalty;
    }
  });
  network.biases.forEach((layer, l) => {
    const biasGradients = gradients.biases[l];
    for (let k = 0; k < layer.length; k++) {
      layer[k] -= learningRate * biasGradients[k];
    }
  });
}

/** Returns true when every weight and bias is a finite number. */
export function hasFiniteParameters(network) {
  const isFinite = (layer) => layer.every((value) => Number.isFinite(value));
  return network.weights.every(isFinite) && network.biases.every(isFinite);
}
