/**
 * Paints a sampled field into a canvas, one canvas pixel per sample; CSS
 * stretches the canvas to its shown size.
 */
import { divergingRgb } from "../../charts/palette.js";

const TABLE_SIZE = 511;
const NAN_COLOR = divergingRgb(Number.NaN);

// Colours of the diverging scale for TABLE_SIZE values evenly spread over
// [-1, 1], so painting a pixel is a table look-up instead of a colour mix.
const COLOR_TABLE = (() => {
  const table = new Uint8ClampedArray(TABLE_SIZE * 3);
  for (let index = 0; index < TABLE_SIZE; index++) {
    table.set(divergingRgb((2 * index) / (TABLE_SIZE - 1) - 1), index * 3);
  }
  return table;
})();

const images = new WeakMap();

function imageFor(canvas, size) {
  let image = images.get(canvas);
  if (!image || image.width !== size) {
    canvas.width = size;
    canvas.height = size;
    // Fields are opaque; saying so lets the compositor skip blending.
    image = canvas.getContext("2d", { alpha: false }).createImageData(size, size);
    images.set(canvas, image);
  }
  return image;
}

/**
 * Paints `field` (resolution x resolution values, row 0 at the top) into
 * `canvas`, taking every `stride`-th sample in both directions.
 *
 * Values are divided by `scale` and clamped to [-1, 1]; with `discretize`
 * only their sign counts. NaN is painted grey.
 */
export function paintField(
  canvas,
  field,
  resolution,
  { stride = 1, scale = 1, discretize = false } = {},
) {
  const size = Math.floor(resolution / stride);
  const image = imageFor(canvas, size);
  const pixels = image.data;
  const offset = Math.floor(stride / 2);
  for (let row = 0; row < size; row++) {
    const sourceRow = (row * stride + offset) * resolution;
    for (let column = 0; column < size; column++) {
      const value = field[sourceRow + column * stride + offset] / scale;
      const pixel = (row * size + column) * 4;
      if (Number.isNaN(value)) {
        pixels[pixel] = NAN_COLOR[0];
        pixels[pixel + 1] = NAN_COLOR[1];
        pixels[pixel + 2] = NAN_COLOR[2];
      } else {
        let clamped = Math.max(-1, Math.min(1, value));
        if (discretize) clamped = value >= 0 ? 1 : -1;
        const index = Math.round(((clamped + 1) / 2) * (TABLE_SIZE - 1)) * 3;
        pixels[pixel] = COLOR_TABLE[index];
        pixels[pixel + 1] = COLOR_TABLE[index + 1];
        pixels[pixel + 2] = COLOR_TABLE[index + 2];
      }
      pixels[pixel + 3] = 255;
    }
  }
  canvas.getContext("2d").putImageData(image, 0, 0);
}

/** Paints the colour legend: the scale from -1 (left) to +1 (right). */
export function paintLegend(canvas, widthPx = 200) {
  canvas.width = widthPx;
  canvas.height = 1;
  const context = canvas.getContext("2d");
  const image = context.createImageData(widthPx, 1);
  for (let x = 0; x < widthPx; x++) {
    const [red, green, blue] = divergingRgb((2 * x) / (widthPx - 1) - 1);
    image.data.set([red, green, blue, 255], x * 4);
  }
  context.putImageData(image, 0, 0);
}
