/**
 * Every neuron's output sampled on a square grid over the data domain, the
 * source of the per-neuron heatmaps.
 *
 * Grid row 0 is the top of the picture (x2 = +6) and column 0 the left
 * (x1 = -6); samples sit at cell centres. Sample k is row k / resolution,
 * column k % resolution.
 */
import { DOMAIN_LIMIT } from "./datasets.js";
import { getFeature } from "./features.js";
import { activateInPlace } from "./nn.js";

export const FIELD_RESOLUTION = 100;
// While training plays, a coarser grid keeps every epoch drawn at a higher
// frame rate; the smoothed upscale hides the difference in a moving picture.
export const PLAYING_FIELD_RESOLUTION = 50;

/** Returns the domain coordinate of cell centre `index` out of `resolution`. */
export function cellCenter(index, resolution) {
  return -DOMAIN_LIMIT + ((index + 0.5) * 2 * DOMAIN_LIMIT) / resolution;
}

/**
 * Creates the grid for `featureIds`: each feature's value at every sample
 * (`featureValues`) and the same divided by the feature's display scale
 * (`inputFields`, the input layer's heatmaps).
 */
export function createFieldGrid(featureIds, resolution = FIELD_RESOLUTION) {
  const numSamples = resolution * resolution;
  const featureValues = featureIds.map((id) => {
    const feature = getFeature(id);
    const values = new Float64Array(numSamples);
    for (let row = 0; row < resolution; row++) {
      const x2 = -cellCenter(row, resolution);
      for (let column = 0; column < resolution; column++) {
        values[row * resolution + column] = feature.compute(cellCenter(column, resolution), x2);
      }
    }
    return values;
  });
  const inputFields = featureIds.map((id, index) => {
    const scale = getFeature(id).displayScale;
    return Float64Array.from(featureValues[index], (value) => value / scale);
  });
  return { resolution, featureIds: featureIds.slice(), featureValues, inputFields };
}

/**
 * Creates one Float64Array per neuron: `fields[l][j]` for neuron j of layer
 * l. `fields[0]` is the grid's (scaled) input fields.
 */
export function createFieldBuffers(network, grid) {
  const numSamples = grid.resolution * grid.resolution;
  return network.layerSizes.map((size, l) =>
    l === 0
      ? grid.inputFields
      : Array.from({ length: size }, () => new Float64Array(numSamples)),
  );
}

/**
 * Runs the network on every grid sample and writes each neuron's output
 * into `fields`. The loops run layer by layer over whole sample arrays, which
 * is several times faster in V8 than one forward pass per sample.
 */
export function computeFields(network, grid, fields) {
  const sizes = network.layerSizes;
  const last = sizes.length - 1;
  for (let l = 1; l <= last; l++) {
    const previous = l === 1 ? grid.featureValues : fields[l - 1];
    const weights = network.weights[l - 1];
    const biases = network.biases[l - 1];
    const fanIn = sizes[l - 1];
    const activation = l === last ? network.outputActivation : network.activation;
    for (let j = 0; j < sizes[l]; j++) {
      const output = fields[l][j];
      output.fill(biases[j]);
      for (let i = 0; i < fanIn; i++) {
        const weight = weights[j * fanIn + i];
        const inputs = previous[i];
        for (let k = 0; k < output.length; k++) output[k] += weight * inputs[k];
      }
      activateInPlace(activation, output);
    }
  }
  return fields;
}
