// Marker shapes per class, so classes differ by shape as well as colour.
export const CLASS_MARKERS = Object.freeze(["circle", "triangle", "square", "diamond"]);

/** Draws a filled marker of `shape` centred on (x, y) with half-size `radius` (CSS px). */
export function drawMarker(context, shape, x, y, radius) {
  context.beginPath();
  switch (shape) {
    case "triangle":
      context.moveTo(x, y - radius * 1.15);
      context.lineTo(x + radius, y + radius * 0.85);
      context.lineTo(x - radius, y + radius * 0.85);
      context.closePath();
      break;
    case "square":
      context.rect(x - radius * 0.85, y - radius * 0.85, radius * 1.7, radius * 1.7);
      break;
    case "diamond":
      context.moveTo(x, y - radius * 1.2);
      context.lineTo(x + radius * 1.2, y);
      context.lineTo(x, y + radius * 1.2);
      context.lineTo(x - radius * 1.2, y);
      context.closePath();
      break;
    default:
      context.arc(x, y, radius, 0, 2 * Math.PI);
  }
  context.fill();
  context.stroke();
}
