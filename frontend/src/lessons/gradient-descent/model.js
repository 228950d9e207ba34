// Pure helpers of the gradient-descent page: chart series, fading curves and
// the sentence that explains how a run ended. No DOM here, so Vitest covers it.

// A run whose loss ends above this share of its first loss stayed near its start.
const BARELY_MOVED_SHARE = 0.8;
// A loss above this, 50 times what the noise alone gives, is a rough fit.
const SLOW_FIT_LOSS = 0.5;
// uPlot labels no axis whose values have more than 17 integer digits.
const LINEAR_AXIS_LIMIT = 1e15;
// A curve whose values span less than this (in y units) is a flat line.
const FLAT_SPAN = 0.5;
// A gradient norm at or below this counts as zero. ReLU units that output zero
// pass back exactly 0, so a blocked layer's norm is 0, not merely small.
const ZERO_NORM = 1e-12;
const MAX_SEED = 2 ** 31 - 1;

/** True when some frame shows a single update, which only the epoch of a divergence has. */
function hasStepFrames(frames) {
  return frames.some((frame) => frame?.kind === "step");
}

/**
 * Returns the loss chart's x axis, { unit, label }: epochs, or updates when the
 * run has step frames, because those lie between whole epochs.
 */
export function lossAxis(frames, stepsPerEpoch) {
  if (hasStepFrames(frames)) return { unit: "update", label: `update (${stepsPerEpoch} per epoch)` };
  return { unit: "epoch", label: "epoch" };
}

/**
 * Returns the loss series of frames 0..lastIndex for the loss chart: x in the
 * axis unit ("epoch" or "update"), the whole-data loss and the running batch
 * loss. Missing frames are skipped.
 */
export function lossSeries(frames, lastIndex, { unit, stepsPerEpoch }) {
  const xs = [];
  const loss = [];
  const runningLoss = [];
  for (let index = 0; index <= lastIndex && index < frames.length; index += 1) {
    const frame = frames[index];
    if (!frame) continue;
    xs.push(unit === "update" ? frame.step : frame.step / stepsPerEpoch);
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
 * Returns the numbers (from 1) of the weight layers before the output layer
 * whose gradient norm in `frame` is zero. A zero norm for layer 1 means no
 * gradient reaches the input side: on every data point, ReLU units that output
 * zero block each path back from the output.
 */
export function zeroGradientLayers(frame) {
  const norms = frame?.gradient_norms ?? [];
  const numbers = [];
  norms.slice(0, -1).forEach((norm, index) => {
    if (norm != null && norm <= ZERO_NORM) numbers.push(index + 1);
  });
  return numbers;
}

/**
 * Describes how a finished run ended, for the message under the plots.
 *
 * `frames` are the run's frames, `params` its settings and `defaults` the
 * default settings. Returns { level: "info" | "warning" | "error", text,
 * suggestion }, where suggestion is { params, label }: settings to change for
 * the next run and the button text, or null when the run fit.
 */
export function describeOutcome({ frames, params, defaults, stepsPerEpoch }) {
  const present = frames.filter(Boolean);
  const run = {
    firstFrame: present[0],
    lastFrame: present.at(-1),
    // The initial frame has no gradient norms; the first frame after it does.
    firstNormsFrame: present.find((frame) => frame.gradient_norms),
    params,
    defaults,
    stepsPerEpoch,
  };
  const firstLoss = run.firstFrame.loss;
  const lastLoss = run.lastFrame.loss;
  const rate = params.learning_rate;

  if (run.lastFrame.diverged) return describeDivergence(run);
  if (zeroGradientLayers(run.lastFrame).includes(1)) return describeBlockedGradient(run);
  if (lastLoss > firstLoss) return describeGrowth(run);
  if (rate < defaults.learning_rate && lastLoss > BARELY_MOVED_SHARE * firstLoss) {
    return {
      level: "warning",
      text:
        `The loss barely moved, from ${formatLoss(firstLoss)} to ${formatLoss(lastLoss)}: ` +
        `at rate ${formatRate(rate)} each step is so small that ${run.lastFrame.epoch} epochs ` +
        `are not enough. Try the larger rate ${formatRate(defaults.learning_rate)}.`,
      suggestion: rateSuggestion(defaults.learning_rate),
    };
  }
  if (lastLoss > SLOW_FIT_LOSS) return describeRoughFit(run);
  return {
    level: "info",
    text:
      `The loss fell from ${formatLoss(firstLoss)} to ${formatLoss(lastLoss)} in ` +
      `${run.lastFrame.epoch} epochs. The noise in the data alone gives a loss of about 0.01.`,
    suggestion: null,
  };
}

function describeDivergence({ lastFrame, params, defaults, stepsPerEpoch }) {
  const rate = params.learning_rate;
  const stepInEpoch = lastFrame.step - (lastFrame.epoch - 1) * stepsPerEpoch;
  const suggestedRate = rate > defaults.learning_rate ? defaults.learning_rate : rate / 100;
  return {
    level: "error",
    text:
      `The run diverged in epoch ${lastFrame.epoch}, at step ${stepInEpoch} of that epoch ` +
      `(update ${lastFrame.step}): the loss grew until it no longer fit in a number. ` +
      `At rate ${formatRate(rate)} every update jumps past the minimum and lands where the ` +
      `slope is even steeper, so the next jump is bigger still. ` +
      `Lower the learning rate: try ${formatRate(suggestedRate)}.`,
    suggestion: rateSuggestion(suggestedRate),
  };
}

/** Explains a run whose first layer ended with no gradient, and why that happened. */
function describeBlockedGradient({ firstFrame, lastFrame, firstNormsFrame, params, defaults }) {
  const losses = `loss ${formatLoss(lastFrame.loss)}, from ${formatLoss(firstFrame.loss)} at the start`;
  const shape = isFlat(lastFrame.curve)
    ? `The model ended as a flat line (${losses}).`
    : `The model's curve stopped changing shape (${losses}).`;
  const layers = zeroGradientLayers(lastFrame);
  const layerNames = layers.length === 1 ? `layer ${layers[0]}` : `layers ${layers.slice(0, -1).join(", ")} and ${layers.at(-1)}`;
  const blocked =
    ` The gradient norm of ${layerNames} is 0: on every data point, ReLU units that output ` +
    `zero block the path back from the output, so those weights no longer change. Units ` +
    `stuck at zero for all inputs get no gradient and never recover.`;
  const units = `${params.hidden_units_1} and ${params.hidden_units_2} hidden units`;
  const rate = params.learning_rate;
  let cause;
  let suggestion;

  if (zeroGradientLayers(firstNormsFrame).includes(1)) {
    cause = " The gradient was already 0 throughout the first epoch, so the learning rate is not the cause:";
    if (hasFewerUnits(params, defaults)) {
      cause += ` with only ${units}, it takes few switched-off units to block every path. Try more units, or another seed.`;
      suggestion = moreUnitsSuggestion(params, defaults);
    } else {
      cause += " these initial weights switch the units off. Another seed starts from other weights.";
      suggestion = seedSuggestion(params.seed);
    }
  } else if (rate > defaults.learning_rate) {
    cause =
      ` The gradient was not 0 at first: early steps at rate ${formatRate(rate)} were so large ` +
      `that they pushed the units to where they output zero for all inputs. Try a smaller rate ` +
      `such as ${formatRate(defaults.learning_rate)}.`;
    suggestion = rateSuggestion(defaults.learning_rate);
  } else if (hasFewerUnits(params, defaults)) {
    cause =
      ` The gradient was not 0 at first, so the units switched off during training. With only ` +
      `${units}, it takes few switched-off units to block every path. Try more units, or another seed.`;
    suggestion = moreUnitsSuggestion(params, defaults);
  } else {
    cause =
      " The gradient was not 0 at first, so the units switched off during training. Another " +
      "seed starts from other weights and batches.";
    suggestion = seedSuggestion(params.seed);
  }
  return { level: "warning", text: shape + blocked + cause, suggestion };
}

function describeGrowth({ firstFrame, lastFrame, params, defaults }) {
  const rate = params.learning_rate;
  const grew = `The loss grew from ${formatLoss(firstFrame.loss)} to ${formatLoss(lastFrame.loss)} without overflowing`;
  if (rate > defaults.learning_rate) {
    return {
      level: "error",
      text: `${grew}: at rate ${formatRate(rate)} the steps are far too large. Try ${formatRate(defaults.learning_rate)}.`,
      suggestion: rateSuggestion(defaults.learning_rate),
    };
  }
  return {
    level: "error",
    text:
      `${grew}. Rate ${formatRate(rate)} is not above the recommended ` +
      `${formatRate(defaults.learning_rate)}, so the steps are not obviously too large. ` +
      `Another seed starts from other weights and batches.`,
    suggestion: seedSuggestion(params.seed),
  };
}

/** Explains a run that learned but ended far above the noise level. */
function describeRoughFit({ firstFrame, lastFrame, params, defaults }) {
  const rate = params.learning_rate;
  const fell =
    `The loss fell from ${formatLoss(firstFrame.loss)} to ${formatLoss(lastFrame.loss)}, ` +
    `but the curve still misses the bend of the data`;
  if (rate < defaults.learning_rate) {
    return {
      level: "warning",
      text: `${fell}: at rate ${formatRate(rate)} the small steps run out of epochs first. Try ${formatRate(defaults.learning_rate)}.`,
      suggestion: rateSuggestion(defaults.learning_rate),
    };
  }
  if (hasFewerUnits(params, defaults)) {
    return {
      level: "warning",
      text:
        `${fell}. The network's curve is made of straight pieces that join where a ReLU unit ` +
        `switches on or off, so ${params.hidden_units_1} and ${params.hidden_units_2} hidden ` +
        `units allow only a few pieces. Try more units.`,
      suggestion: moreUnitsSuggestion(params, defaults),
    };
  }
  if (params.epochs < defaults.epochs) {
    return {
      level: "warning",
      text: `${fell}: ${params.epochs} epochs were not enough. Try ${defaults.epochs} epochs.`,
      suggestion: { params: { epochs: defaults.epochs }, label: `Run with ${defaults.epochs} epochs` },
    };
  }
  return {
    level: "warning",
    text: `${fell}. Another seed starts from other weights and batches.`,
    suggestion: seedSuggestion(params.seed),
  };
}

function hasFewerUnits(params, defaults) {
  return params.hidden_units_1 < defaults.hidden_units_1 || params.hidden_units_2 < defaults.hidden_units_2;
}

function rateSuggestion(rate) {
  return { params: { learning_rate: rate }, label: `Run with rate ${formatRate(rate)}` };
}

function moreUnitsSuggestion(params, defaults) {
  const units1 = Math.max(params.hidden_units_1, defaults.hidden_units_1);
  const units2 = Math.max(params.hidden_units_2, defaults.hidden_units_2);
  return {
    params: { hidden_units_1: units1, hidden_units_2: units2 },
    label: `Run with ${units1} and ${units2} hidden units`,
  };
}

function seedSuggestion(seed) {
  const nextSeed = seed < MAX_SEED ? seed + 1 : seed - 1;
  return { params: { seed: nextSeed }, label: `Run with seed ${nextSeed}` };
}
