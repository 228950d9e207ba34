import { describe, expect, it } from "vitest";
import {
  ACTIVATION_NAMES,
  applyGradients,
  buildNetwork,
  computeGradients,
  computeObjective,
  createGradients,
  createWorkspace,
  forward,
  regularizationPenalty,
} from "./nn.js";
import { createRandom } from "./random.js";

const STEP = 1e-6;

function randomExamples(random, numExamples, numInputs) {
  const inputs = new Float64Array(numExamples * numInputs);
  for (let k = 0; k < inputs.length; k++) inputs[k] = random.uniform(-2, 2);
  const targets = Float64Array.from({ length: numExamples }, () => random.uniform(-1, 1));
  return { inputs, targets };
}

/** Returns the central difference of the objective for every parameter. */
function numericGradients(network, examples, regularization, rate) {
  const estimate = (values, k) => {
    const saved = values[k];
    values[k] = saved + STEP;
    const above = computeObjective(network, examples, regularization, rate);
    values[k] = saved - STEP;
    const below = computeObjective(network, examples, regularization, rate);
    values[k] = saved;
    return (above - below) / (2 * STEP);
  };
  return {
    weights: network.weights.map((layer) => layer.map((_, k) => estimate(layer, k))),
    biases: network.biases.map((layer) => layer.map((_, k) => estimate(layer, k))),
  };
}

function expectClose(actual, expected, label) {
  const tolerance = 1e-6 + 1e-5 * Math.abs(expected);
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThan(
    tolerance,
  );
}

function compareGradients(network, examples, regularization, rate) {
  const gradients = createGradients(network);
  computeGradients(network, examples, regularization, rate, gradients);
  const numeric = numericGradients(network, examples, regularization, rate);
  for (const kind of ["weights", "biases"]) {
    gradients[kind].forEach((layer, l) => {
      layer.forEach((value, k) => {
        expectClose(value, numeric[kind][l][k], `${kind}[${l}][${k}]`);
      });
    });
  }
}

describe("backward against finite differences", () => {
  const outputActivations = ["tanh", "linear"];
  const regularizations = [
    ["none", 0],
    ["L1", 0.03],
    ["L2", 0.1],
  ];
  for (const activation of ACTIVATION_NAMES) {
    for (const outputActivation of outputActivations) {
      for (const [regularization, rate] of regularizations) {
        it(`matches for ${activation} hidden, ${outputActivation} output, ${regularization}`, () => {
          for (let trial = 0; trial < 3; trial++) {
            const random = createRandom(100 + trial, `${activation}-${outputActivation}`);
            const layerSizes = [3, 1 + random.integer(5), 1 + random.integer(4), 1];
            const network = buildNetwork({ layerSizes, activation, outputActivation, random });
            // Spread the weights beyond the initial range so that the
            // activations leave their near-linear region.
            network.weights.forEach((layer) => {
              for (let k = 0; k < layer.length; k++) layer[k] = random.uniform(-1.5, 1.5);
            });
            network.biases.forEach((layer) => {
              for (let k = 0; k < layer.length; k++) layer[k] = random.uniform(-0.5, 0.5);
            });
            const examples = randomExamples(random, 7, 3);
            compareGradients(network, examples, regularization, rate);
          }
        });
      }
    }
  }

  it("matches with no hidden layer", () => {
    const random = createRandom(5, "no-hidden");
    const network = buildNetwork({
      layerSizes: [4, 1],
      activation: "relu",
      outputActivation: "tanh",
      random,
    });
    compareGradients(network, randomExamples(random, 5, 4), "L2", 0.3);
  });

  it("matches on a sub-range of examples in a given order", () => {
    const random = createRandom(8, "order");
    const network = buildNetwork({
      layerSizes: [2, 3, 1],
      activation: "sigmoid",
      outputActivation: "tanh",
      random,
    });
    const { inputs, targets } = randomExamples(random, 6, 2);
    const order = [4, 1, 5, 0, 2, 3];
    const gradients = createGradients(network);
    computeGradients(network, { inputs, targets, first: 2, last: 5, order }, "none", 0, gradients);

    const picked = [5, 0, 2];
    const subset = {
      inputs: Float64Array.from(picked.flatMap((k) => [inputs[2 * k], inputs[2 * k + 1]])),
      targets: Float64Array.from(picked.map((k) => targets[k])),
    };
    const expected = createGradients(network);
    computeGradients(network, subset, "none", 0, expected);
    expect(Array.from(gradients.weights[0])).toEqual(Array.from(expected.weights[0]));
    expect(Array.from(gradients.biases[1])).toEqual(Array.from(expected.biases[1]));
  });
});

describe("forward", () => {
  it("computes a hand-checked network", () => {
    const network = buildNetwork({
      layerSizes: [2, 2, 1],
      activation: "relu",
      outputActivation: "linear",
      random: createRandom(1),
    });
    network.weights[0].set([1, -1, 0.5, 2]);
    network.biases[0].set([0, -1]);
    network.weights[1].set([3, -2]);
    network.biases[1].set([0.25]);
    const workspace = createWorkspace(network);
    // Hidden: relu(1*2 - 1*1 + 0) = 1 and relu(0.5*2 + 2*1 - 1) = 2.
    const output = forward(network, [2, 1], 0, workspace);
    expect(Array.from(workspace.activations[1])).toEqual([1, 2]);
    expect(output).toBe(3 * 1 - 2 * 2 + 0.25);
  });

  it("reads the example at the given offset", () => {
    const network = buildNetwork({
      layerSizes: [1, 1],
      activation: "linear",
      outputActivation: "linear",
      random: createRandom(1),
    });
    network.weights[0][0] = 2;
    network.biases[0][0] = 0;
    expect(forward(network, [5, 7, 9], 2, createWorkspace(network))).toBe(18);
  });

  it("applies sigmoid and tanh", () => {
    for (const [activation, expected] of [
      ["sigmoid", 1 / (1 + Math.exp(-0.7))],
      ["tanh", Math.tanh(0.7)],
    ]) {
      const network = buildNetwork({
        layerSizes: [1, 1],
        activation,
        outputActivation: activation,
        random: createRandom(1),
      });
      network.weights[0][0] = 1;
      network.biases[0][0] = 0.2;
      expect(forward(network, [0.5], 0, createWorkspace(network))).toBeCloseTo(expected, 12);
    }
  });
});

describe("buildNetwork", () => {
  it("draws weights in [-0.5, 0.5] and sets biases to 0.1", () => {
    const network = buildNetwork({
      layerSizes: [7, 8, 8, 1],
      activation: "tanh",
      outputActivation: "tanh",
      random: createRandom(3, "weights"),
    });
    const weights = network.weights.flatMap((layer) => Array.from(layer));
    expect(weights).toHaveLength(7 * 8 + 8 * 8 + 8);
    expect(Math.max(...weights)).toBeLessThanOrEqual(0.5);
    expect(Math.min(...weights)).toBeGreaterThanOrEqual(-0.5);
    expect(network.biases.flatMap((layer) => Array.from(layer))).toEqual(Array(17).fill(0.1));
  });

  it("starts at zero weights with initZero", () => {
    const network = buildNetwork({
      layerSizes: [2, 3, 1],
      activation: "tanh",
      outputActivation: "tanh",
      random: createRandom(3),
      initZero: true,
    });
    expect(network.weights.every((layer) => layer.every((weight) => weight === 0))).toBe(true);
  });

  it("rejects an unknown activation", () => {
    expect(() =>
      buildNetwork({
        layerSizes: [2, 1],
        activation: "swish",
        outputActivation: "tanh",
        random: createRandom(1),
      }),
    ).toThrow(/unknown activation "swish"/);
  });

  it("rejects an empty layer", () => {
    expect(() =>
      buildNetwork({
        layerSizes: [2, 0, 1],
        activation: "tanh",
        outputActivation: "tanh",
        random: createRandom(1),
      }),
    ).toThrow(/at least 1 neuron/);
  });
});

describe("applyGradients", () => {
  function singleWeightNetwork(weight) {
    const network = buildNetwork({
      layerSizes: [1, 1],
      activation: "linear",
      outputActivation: "linear",
      random: createRandom(1),
    });
    network.weights[0][0] = weight;
    network.biases[0][0] = 0.5;
    return network;
  }

  function gradientsOf(weightGradient, biasGradient) {
    return { weights: [Float64Array.of(weightGradient)], biases: [Float64Array.of(biasGradient)] };
  }

  it("steps against the gradient without L1", () => {
    const network = singleWeightNetwork(0.4);
    applyGradients(network, gradientsOf(2, -1), 0.1, "L2", 0.3);
    expect(network.weights[0][0]).toBeCloseTo(0.4 - 0.1 * 2, 15);
    expect(network.biases[0][0]).toBeCloseTo(0.5 + 0.1, 15);
  });

  it("moves an L1 weight by the full gradient when it keeps its sign", () => {
    const network = singleWeightNetwork(0.4);
    // The gradient already contains rate * sign(w) = 0.1.
    applyGradients(network, gradientsOf(0.5 + 0.1, 0), 0.1, "L1", 0.1);
    expect(network.weights[0][0]).toBeCloseTo(0.4 - 0.1 * 0.6, 15);
  });

  it("sets an L1 weight to zero when the penalty would flip its sign", () => {
    const network = singleWeightNetwork(0.005);
    // Data gradient 0, penalty step 0.1 * 1 = 0.1 > 0.005.
    applyGradients(network, gradientsOf(1, 0), 0.1, "L1", 1);
    expect(network.weights[0][0]).toBe(0);
  });

  it("lets the data part carry an L1 weight across zero", () => {
    const network = singleWeightNetwork(0.05);
    // Data gradient 2 moves the weight to 0.05 - 0.2 = -0.15; the penalty
    // step 0.01 then shrinks it towards zero.
    applyGradients(network, gradientsOf(2 + 0.1, 0), 0.1, "L1", 0.1);
    expect(network.weights[0][0]).toBeCloseTo(-0.15 + 0.01, 15);
  });
});

describe("regularizationPenalty", () => {
  it("sums |w| for L1 and w^2/2 for L2, without biases", () => {
    const network = buildNetwork({
      layerSizes: [2, 1],
      activation: "tanh",
      outputActivation: "tanh",
      random: createRandom(1),
    });
    network.weights[0].set([3, -4]);
    expect(regularizationPenalty(network, "L1")).toBe(7);
    expect(regularizationPenalty(network, "L2")).toBe(12.5);
    expect(regularizationPenalty(network, "none")).toBe(0);
  });
});
