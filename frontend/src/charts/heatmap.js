/**
 * Paints a field of values sampled on a `numColumns` x `numRows` grid and
 * stretches it over a (widthCss x heightCss) area at (leftCss, topCss).
 *
 * `colorAt(column, row)` returns [r, g, b]; row 0 is the top. The grid is
 * drawn one pixel per sample into an offscreen canvas and scaled up, so
 * cost depends on the grid, not on the screen size.
 */
export function drawHeatmap(
  context,
  { numColumns, numRows, colorAt, leftCss = 0, topCss = 0, widthCss, heightCss, smooth = false },
) {
  const field = document.createElement("canvas");
  field.width = numColumns;
  field.height = numRows;
  const fieldContext = field.getContext("2d");
  const image = fieldContext.createImageData(numColumns, numRows);
  for (let row = 0; row < numRows; row += 1) {
    for (let column = 0; column < numColumns; column += 1) {
      const [red, green, blue] = colorAt(column, row);
      const offset = (row * numColumns + column) * 4;
      image.data[offset] = red;
      image.data[offset + 1] = green;
      image.data[offset + 2] = blue;
      image.data[offset + 3] = 255;
    }
  }
  fieldContext.putImageData(image, 0, 0);
  context.save();
  context.imageSmoothingEnabled = smooth;
  context.drawImage(field, leftCss, topCss, widthCss, heightCss);
  context.restore();
}
