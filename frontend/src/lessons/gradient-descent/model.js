// Pure helpers of the gradient-descent page: chart series, fading curves and
// the sentence that explains how a run ended. No DOM here, so Vitest covers it.

// A run whose loss ends above this share of its first loss barely learned.
const BARELY_MOVED_SHARE = 0.5;
// A loss above this, 50 times what the noise alone gives, is a rough fit.
const SLOW_FIT_LOSS = 0.5;
// uPlot labels no axis whose values have more than 17 integer digits.
const LINEAR_AXIS_LIMIT = 1e15;
// A curve whose values span less than this (in y units) is a flat line.
const FLAT_SPAN = 0.5;

/** Position of a frame on the loss chart's x axis, in epochs (fractional for steps). */
export function frameEpoch(frame, stepsPerEpoch) {
  return frame.step / stepsPerEpoch;
}

/**
 * Returns the loss series of frames 0..lastIndex for the loss chart: x in epochs, the
 * whole-data loss and the running batch loss. Missing frames are skipped.
 */
export function lossSeries(frames, lastIndex, stepsPerEpoch) {
  const xs = [];
  const loss = [];
  const runningLoss = [];
  for (let index = 0; index <= lastIndex && index < frames.length; index += 1) {
    const frame = frames[index];
    if (!frame) continue;
    xs.push(frameEpoch(frame, stepsPerEpoch));
    loss.push(frame.loss);
    runningLoss.push(frame.running_loss);
  }
  return { xs, loss, runningLoss };
}

/**
 * Returns the curves of the frames before `currentIndex`, oldest first, each with an
 * opacity that halves about every five frames of age. Curves too faint to
 * see are left out.
 */
export function fadingCurves(frames, currentIndex, { startAlpha = 0.45, decay = 0.87, minAlpha = 0.03 } = {}) {
  const curves = [];
  for (let age = 1; age <= currentIndex; age += 1) {
    const alpha = startAlpha * decay ** (age - 1);
    if (alpha < minAlpha) break;
    const frame = frames[currentIndex - age];
    if (frame) curves.push({ curve: frame.curve, alpha });
  }
  return curves.reverse();
}

/**
 * Returns the base-10 logarithms of `values`, with null where none exists.
 * The loss chart plots these on a linear axis in log mode: uPlot's own log
 * axis draws no ticks once values pass about 1e17, and a diverging loss
 * reaches 1e300.
 */
export function log10Values(values) {
  return values.map((value) => (value == null || !(value > 0) ? null : Math.log10(value)));
}

/** True when a loss is beyond what a linear axis can label (or missing after a divergence). */
export function needsLogScale(frame) {
  return frame.diverged || frame.loss == null || frame.loss >= LINEAR_AXIS_LIMIT;
}

/** True when some value of the curve is missing (sent as null for NaN or infinity). */
export function hasMissingValues(curve) {
  return curve.some((value) => value == null);
}

/** True when the curve is a horizontal line within FLAT_SPAN. */
export function isFlat(curve) {
  if (hasMissingValues(curve)) return false;
  return Math.max(...curve) - Math.min(...curve) < FLAT_SPAN;
}

/** Formats a loss with 4 significant digits, or as a word when it is missing. */
export function formatLoss(value) {
  if (value == null) return "overflow";
  if (value !== 0 && (Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3)) {
    return value.toExponential(2);
  }
  return String(Number(value.toPrecision(4)));
}

export function formatRate(value) {
  return value < 1e-3 ? value.toExponential(0) : String(Number(value.toPrecision(3)));
}

/**
 * Describes how a finished run ended, for the message under the plots.
 * Returns { level: "info" | "warning" | "error", text, suggestedRate }, where
 * suggestedRate is a learning rate to try next, or null when the run fit.
 */
export function describeOutcome({ firstFrame, lastFrame, learningRate, defaultRate, stepsPerEpoch }) {
  const rate = formatRate(learningRate);
  if (lastFrame.diverged) {
    const stepInEpoch = lastFrame.step - (lastFrame.epoch - 1) * stepsPerEpoch;
    const suggestedRate = learningRate > defaultRate ? defaultRate : learningRate / 100;
    return {
      level: "error",
      text:
        `The run diverged in epoch ${lastFrame.epoch}, at step ${stepInEpoch} of that epoch ` +
        `(update ${lastFrame.step}): the loss grew until it no longer fit in a number. ` +
        `At rate ${rate} every update jumps past the minimum and lands where the slope ` +
        `is even steeper, so the next jump is bigger still. ` +
        `Lower the learning rate: try ${formatRate(suggestedRate)}.`,
      suggestedRate,
    };
  }
  const firstLoss = firstFrame.loss;
  const lastLoss = lastFrame.loss;
  if (lastLoss > firstLoss) {
    return {
      level: "error",
      text:
        `The loss grew from ${formatLoss(firstLoss)} to ${formatLoss(lastLoss)} without ` +
        `overflowing: at rate ${rate} the steps are far too large. Try ${formatRate(defaultRate)}.`,
      suggestedRate: defaultRate,
    };
  }
  if (isFlat(lastFrame.curve) && learningRate > defaultRate) {
    return {
      level: "warning",
      text:
        `The model ended as a flat line (loss ${formatLoss(lastLoss)}). Early steps at rate ` +
        `${rate} were so large that every ReLU unit was pushed to where it outputs zero ` +
        `for all inputs. Such a "dead" unit passes back no gradient, so it never recovers. ` +
        `Try a smaller rate such as ${formatRate(defaultRate)}.`,
      suggestedRate: defaultRate,
    };
  }
  if (lastLoss > BARELY_MOVED_SHARE * firstLoss) {
    const suggestedRate = learningRate < defaultRate ? defaultRate : learningRate / 10;
    return {
      level: "warning",
      text:
        `The loss barely moved, from ${formatLoss(firstLoss)} to ${formatLoss(lastLoss)}: ` +
        `at rate ${rate} each step is so small that ${lastFrame.epoch} epochs are not ` +
        `enough. Try ${formatRate(suggestedRate)}.`,
      suggestedRate,
    };
  }
  if (learningRate < defaultRate && lastLoss > SLOW_FIT_LOSS) {
    return {
      level: "warning",
      text:
        `The loss fell from ${formatLoss(firstLoss)} to ${formatLoss(lastLoss)}, but the ` +
        `curve still misses the bend of the data: at rate ${rate} the small steps run out ` +
        `of epochs first. Try ${formatRate(defaultRate)}.`,
      suggestedRate: defaultRate,
    };
  }
  return {
    level: "info",
    text:
      `The loss fell from ${formatLoss(firstLoss)} to ${formatLoss(lastLoss)} in ` +
      `${lastFrame.epoch} epochs. The noise in the data alone gives a loss of about 0.01.`,
    suggestedRate: null,
  };
}
