import { describe, expect, it } from "vitest";
import { cellCenter, computeFields, createFieldBuffers, createFieldGrid } from "./fields.js";
import { buildNetwork, createWorkspace, forward } from "./nn.js";
import { createRandom } from "./random.js";

describe("fields", () => {
  it("places cell centres symmetrically in the domain", () => {
    expect(cellCenter(0, 4)).toBe(-4.5);
    expect(cellCenter(3, 4)).toBe(4.5);
  });

  it("scales input fields by each feature's range", () => {
    const grid = createFieldGrid(["x1", "x2Squared"], 10);
    const [x1Field, x2SquaredField] = grid.inputFields;
    // Top-left sample: x1 = -5.4, x2 = +5.4.
    expect(x1Field[0]).toBeCloseTo(-5.4 / 6, 6);
    expect(x2SquaredField[0]).toBeCloseTo((5.4 * 5.4) / 36, 6);
    // Bottom-right sample: x1 = +5.4.
    expect(x1Field[99]).toBeCloseTo(5.4 / 6, 6);
  });

  for (const activation of ["relu", "tanh", "sigmoid", "linear"]) {
    it(`stores every ${activation} neuron's output at every sample`, () => {
      const features = ["x1", "x2", "sinX1"];
      const network = buildNetwork({
        layerSizes: [3, 4, 2, 1],
        activation,
        outputActivation: "tanh",
        random: createRandom(4),
      });
      const grid = createFieldGrid(features, 12);
      const fields = computeFields(network, grid, createFieldBuffers(network, grid));
      expect(fields.map((layer) => layer.length)).toEqual([3, 4, 2, 1]);
      // Row 5, column 7.
      const sample = 12 * 5 + 7;
      const x1 = cellCenter(7, 12);
      const x2 = -cellCenter(5, 12);
      const check = createWorkspace(network);
      const output = forward(network, [x1, x2, Math.sin(x1)], 0, check);
      expect(fields[1][2][sample]).toBeCloseTo(check.activations[1][2], 12);
      expect(fields[2][1][sample]).toBeCloseTo(check.activations[2][1], 12);
      expect(fields[3][0][sample]).toBeCloseTo(output, 12);
    });
  }
});
