import { describe, expect, it } from "vitest";
import { generateData } from "./datasets.js";
import { createTrainer, explainFailure } from "./trainer.js";

const CONFIG = {
  features: ["x1", "x2"],
  networkShape: [4, 2],
  activation: "tanh",
  learningRate: 0.03,
  regularization: "none",
  regularizationRate: 0,
  initZero: false,
};

function makeTrainer({ config = {}, dataset = "circle", problem = "classification", seed = 1 } = {}) {
  const data = generateData({ name: dataset, noise: 0, trainPercent: 50, seed });
  return createTrainer({
    config: { ...CONFIG, ...config },
    data,
    problem,
    seed,
    batchSize: 10,
  });
}

function trainEpochs(trainer, count) {
  for (let k = 0; k < count; k++) trainer.trainEpoch();
  return trainer.latest;
}

describe("createTrainer", () => {
  it("records epoch 0 before training", () => {
    const trainer = makeTrainer();
    expect(trainer.epoch).toBe(0);
    expect(trainer.history).toHaveLength(1);
    expect(trainer.history[0].epoch).toBe(0);
    expect(trainer.history[0].trainLoss).toBeGreaterThan(0.3);
  });

  it("fits the circle with a hidden layer", () => {
    const trainer = makeTrainer();
    const record = trainEpochs(trainer, 150);
    expect(record.epoch).toBe(150);
    expect(record.testLoss).toBeLessThan(0.05);
    expect(record.testAccuracy).toBeGreaterThan(0.95);
  });

  it("cannot fit the circle with a linear model", () => {
    const trainer = makeTrainer({ config: { networkShape: [] } });
    const record = trainEpochs(trainer, 100);
    expect(record.testLoss).toBeGreaterThan(0.4);
  });

  it("repeats a run exactly for one seed", () => {
    const first = trainEpochs(makeTrainer({ seed: 9 }), 20);
    const second = trainEpochs(makeTrainer({ seed: 9 }), 20);
    expect(second).toEqual(first);
    const other = trainEpochs(makeTrainer({ seed: 10 }), 20);
    expect(other.trainLoss).not.toBe(first.trainLoss);
  });

  it("starts again from the same weights after reset", () => {
    const trainer = makeTrainer();
    const start = trainer.history[0];
    const after = trainEpochs(trainer, 5);
    trainer.reset();
    expect(trainer.history).toEqual([start]);
    expect(trainEpochs(trainer, 5)).toEqual(after);
  });

  it("keeps the weights when the learning rate changes", () => {
    const trainer = makeTrainer();
    trainEpochs(trainer, 10);
    const weights = Array.from(trainer.network.weights[0]);
    trainer.setLearningRate(0.3);
    expect(Array.from(trainer.network.weights[0])).toEqual(weights);
    expect(trainer.config.learningRate).toBe(0.3);
    trainer.trainEpoch();
    expect(trainer.epoch).toBe(11);
  });

  it("reports accuracy only for classification", () => {
    const trainer = makeTrainer({ dataset: "plane", problem: "regression" });
    expect(trainer.latest.trainAccuracy).toBeNull();
    expect(trainEpochs(trainer, 30).testLoss).toBeLessThan(0.01);
  });

  it("rereads the data after a point is added", () => {
    const data = generateData({ name: "xor", noise: 0, trainPercent: 50, seed: 1 });
    const trainer = createTrainer({ config: CONFIG, data, problem: "classification", seed: 1, batchSize: 10 });
    const before = trainer.latest.trainLoss;
    data.train.push({ x1: 5, x2: 5, label: -1 });
    trainer.refreshData();
    expect(trainer.latest.trainLoss).not.toBe(before);
    expect(trainer.epoch).toBe(0);
  });

  it("edits one weight and one bias", () => {
    const trainer = makeTrainer();
    trainer.setParameter(1, 1, 2, 1.5);
    trainer.setParameter(0, 3, null, -0.25);
    expect(trainer.network.weights[1][1 * 4 + 2]).toBe(1.5);
    expect(trainer.network.biases[0][3]).toBe(-0.25);
  });

  it("does nothing without training points", () => {
    const trainer = createTrainer({
      config: CONFIG,
      data: { train: [], test: [{ x1: 0, x2: 0, label: 1 }] },
      problem: "classification",
      seed: 1,
      batchSize: 10,
    });
    expect(trainer.trainEpoch()).toBeNull();
    expect(trainer.failure).toBeNull();
  });
});

describe("non-finite loss", () => {
  it("stops at the overflow epoch with finite weights", () => {
    const trainer = makeTrainer({
      dataset: "plane",
      problem: "regression",
      config: { activation: "linear", learningRate: 10, networkShape: [8, 8] },
    });
    let stoppedAt = null;
    for (let k = 0; k < 50 && stoppedAt === null; k++) {
      if (trainer.trainEpoch() === null) stoppedAt = k + 1;
    }
    expect(stoppedAt).not.toBeNull();
    expect(trainer.failure.epoch).toBe(stoppedAt);
    expect(trainer.failure.cause).toBe("learningRate");
    expect(trainer.failure.message).toMatch(`Training stopped at epoch ${stoppedAt}`);
    expect(trainer.epoch).toBe(stoppedAt - 1);
    expect(trainer.network.weights.every((layer) => layer.every(Number.isFinite))).toBe(true);
    expect(trainer.trainEpoch()).toBeNull();
    expect(trainer.epoch).toBe(stoppedAt - 1);

    trainer.reset();
    expect(trainer.failure).toBeNull();
  });

  it("blames an L2 rate that flips the weights", () => {
    const trainer = makeTrainer({
      dataset: "plane",
      problem: "regression",
      config: { activation: "linear", learningRate: 3, regularization: "L2", regularizationRate: 1 },
    });
    trainEpochs(trainer, 50);
    expect(trainer.failure?.cause).toBe("regularization");
  });
});

describe("explainFailure", () => {
  it("names the learning rate in plain words", () => {
    const { cause, message } = explainFailure({
      epoch: 4,
      isNotANumber: true,
      learningRate: 3,
      regularization: "none",
      regularizationRate: 0,
    });
    expect(cause).toBe("learningRate");
    expect(message).toMatch(/^Training stopped at epoch 4: the loss became not a number \(NaN\)\./);
    expect(message).toMatch(/learning rate 3 is too large/);
    expect(message).toMatch(/after epoch 3/);
  });

  it("names the regularization rate when the L2 factor is below -1", () => {
    const { cause, message } = explainFailure({
      epoch: 2,
      isNotANumber: false,
      learningRate: 1,
      regularization: "L2",
      regularizationRate: 3,
    });
    expect(cause).toBe("regularization");
    expect(message).toMatch(/became infinite/);
    expect(message).toMatch(/multiplies every weight by -2.00/);
  });
});
