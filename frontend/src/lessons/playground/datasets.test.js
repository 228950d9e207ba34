import { describe, expect, it } from "vitest";
import {
  CLASSIFICATION_SIZE,
  DATASETS,
  DATASET_NAMES,
  DOMAIN_LIMIT,
  REGRESSION_SIZE,
  datasetsForProblem,
  evaluateBumps,
  generateData,
} from "./datasets.js";

function allPoints(data) {
  return [...data.train, ...data.test];
}

describe("generateData", () => {
  for (const name of DATASET_NAMES) {
    const { problem } = DATASETS[name];
    for (const noise of [0, 50]) {
      it(`${name} at noise ${noise}: size, domain and labels`, () => {
        const points = allPoints(generateData({ name, noise, trainPercent: 50, seed: 3 }));
        const expectedSize = problem === "classification" ? CLASSIFICATION_SIZE : REGRESSION_SIZE;
        expect(points).toHaveLength(expectedSize);
        for (const point of points) {
          expect(Math.abs(point.x1)).toBeLessThanOrEqual(DOMAIN_LIMIT);
          expect(Math.abs(point.x2)).toBeLessThanOrEqual(DOMAIN_LIMIT);
          expect(Number.isFinite(point.label)).toBe(true);
        }
        if (problem === "classification") {
          expect(points.every((point) => point.label === 1 || point.label === -1)).toBe(true);
          const numPositive = points.filter((point) => point.label === 1).length;
          expect(numPositive / points.length).toBeGreaterThan(0.3);
          expect(numPositive / points.length).toBeLessThan(0.7);
        } else {
          expect(points.every((point) => point.label >= -1 && point.label <= 1)).toBe(true);
          const labels = points.map((point) => point.label);
          expect(Math.max(...labels) - Math.min(...labels)).toBeGreaterThan(1);
        }
      });
    }
  }

  it("splits by the training percentage", () => {
    for (const trainPercent of [10, 50, 90]) {
      const data = generateData({ name: "xor", noise: 0, trainPercent, seed: 1 });
      expect(data.train).toHaveLength((CLASSIFICATION_SIZE * trainPercent) / 100);
      expect(data.test).toHaveLength((CLASSIFICATION_SIZE * (100 - trainPercent)) / 100);
    }
  });

  it("repeats the data for one seed and changes it for another", () => {
    const options = { name: "spiral", noise: 20, trainPercent: 50 };
    const first = generateData({ ...options, seed: 11 });
    expect(generateData({ ...options, seed: 11 })).toEqual(first);
    expect(generateData({ ...options, seed: 12 })).not.toEqual(first);
  });

  it("labels the circle by distance from the centre", () => {
    const points = allPoints(generateData({ name: "circle", noise: 0, trainPercent: 50, seed: 2 }));
    for (const point of points) {
      const radius = Math.hypot(point.x1, point.x2);
      if (point.label === 1) expect(radius).toBeLessThanOrEqual(2.5 + 1e-9);
      else expect(radius).toBeGreaterThanOrEqual(3.5 - 1e-9);
    }
  });

  it("labels XOR by the sign of x1 * x2", () => {
    const points = allPoints(generateData({ name: "xor", noise: 0, trainPercent: 50, seed: 2 }));
    for (const point of points) expect(point.label).toBe(Math.sign(point.x1 * point.x2));
  });

  it("centres the two Gaussians at (2, 2) and (-2, -2)", () => {
    const points = allPoints(generateData({ name: "gauss", noise: 0, trainPercent: 50, seed: 2 }));
    for (const label of [1, -1]) {
      const members = points.filter((point) => point.label === label);
      const meanX1 = members.reduce((sum, point) => sum + point.x1, 0) / members.length;
      const meanX2 = members.reduce((sum, point) => sum + point.x2, 0) / members.length;
      expect(meanX1).toBeCloseTo(2 * label, 0);
      expect(meanX2).toBeCloseTo(2 * label, 0);
    }
  });

  it("labels the plane and the bumps by their formulas", () => {
    const plane = allPoints(generateData({ name: "plane", noise: 0, trainPercent: 50, seed: 2 }));
    for (const point of plane) expect(point.label).toBeCloseTo((point.x1 + point.x2) / 12, 12);
    const bumps = allPoints(generateData({ name: "multiGauss", noise: 0, trainPercent: 50, seed: 2 }));
    for (const point of bumps) expect(point.label).toBeCloseTo(evaluateBumps(point.x1, point.x2), 12);
  });

  it("moves points with noise but keeps the labels' source", () => {
    const quiet = generateData({ name: "plane", noise: 0, trainPercent: 50, seed: 4 });
    const noisy = generateData({ name: "plane", noise: 30, trainPercent: 50, seed: 4 });
    const quietErrors = allPoints(quiet).map((p) => Math.abs(p.label - (p.x1 + p.x2) / 12));
    const noisyErrors = allPoints(noisy).map((p) => Math.abs(p.label - (p.x1 + p.x2) / 12));
    expect(Math.max(...quietErrors)).toBeLessThan(1e-12);
    expect(Math.max(...noisyErrors)).toBeGreaterThan(0.05);
  });

  it("rejects an unknown data set", () => {
    expect(() => generateData({ name: "moons", noise: 0, trainPercent: 50, seed: 1 })).toThrow(
      /unknown data set "moons"/,
    );
  });
});

describe("datasetsForProblem", () => {
  it("lists four classification and two regression sets", () => {
    expect(datasetsForProblem("classification")).toEqual(["circle", "xor", "gauss", "spiral"]);
    expect(datasetsForProblem("regression")).toEqual(["plane", "multiGauss"]);
  });
});
