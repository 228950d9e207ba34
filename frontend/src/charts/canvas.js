/**
 * Sizes `canvas` to its CSS box times the device pixel ratio and returns a 2D
 * context scaled so that drawing code works in CSS pixels.
 */
export function prepareCanvas(canvas, widthCss, heightCss) {
  const ratio = window.devicePixelRatio || 1;
  const width = widthCss ?? canvas.clientWidth;
  const height = heightCss ?? canvas.clientHeight;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { context, widthCss: width, heightCss: height };
}

/** A linear map from the data interval [domainMin, domainMax] to [rangeMin, rangeMax]. */
export function linearScale(domainMin, domainMax, rangeMin, rangeMax) {
  const factor = (rangeMax - rangeMin) / (domainMax - domainMin);
  const scale = (value) => rangeMin + (value - domainMin) * factor;
  scale.invert = (position) => domainMin + (position - rangeMin) / factor;
  return scale;
}
