/**
 * The sandbox's settings, declared once. The table drives the form, the
 * defaults, validation and the URL hash that stores the whole state.
 *
 * Settings with scope "shared" apply to the data and the transport; settings
 * with scope "config" belong to one network configuration. In compare mode the
 * second configuration's values carry the prefix "b." in the hash.
 */
import { DATASETS, DATASET_NAMES, datasetsForProblem } from "./datasets.js";
import { FEATURE_IDS, orderFeatures } from "./features.js";
import { ACTIVATION_NAMES, REGULARIZATIONS } from "./nn.js";
import { MAX_SEED } from "./random.js";

export const LEARNING_RATES = [
  0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10,
];
export const REGULARIZATION_RATES = [
  0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10,
];
export const NOISE_LEVELS = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
export const TRAIN_PERCENTAGES = [10, 20, 30, 40, 50, 60, 70, 80, 90];
export const EPOCHS_PER_FRAME = [1, 2, 5, 10, 20, 50];
export const MAX_HIDDEN_LAYERS = 6;
export const MAX_NEURONS_PER_LAYER = 8;
export const NEW_LAYER_SIZE = 2;

/**
 * Each setting: name, label, form control, help text, type, allowed values
 * (`values`, or `minimum` and `maximum`), default, whether a teacher's link
 * can hide its control, and scope. Types: "enum" (one of `values`),
 * "boolean", "integer", "featureSet" (a subset of the features) and
 * "layerSizes" (the hidden layer sizes). Controls "network" and "datasets"
 * are drawn by their own views; "none" settings live only in the link.
 */
export const SETTINGS = [
  {
    name: "problem",
    label: "Problem type",
    control: "select",
    help: "Classification predicts a class (+1 or -1); regression predicts a number from -1 to 1.",
    type: "enum",
    values: ["classification", "regression"],
    defaultValue: "classification",
    hideable: true,
    scope: "shared",
  },
  {
    name: "dataset",
    label: "Data set",
    control: "datasets",
    help: "The points the network learns from.",
    type: "enum",
    values: DATASET_NAMES,
    defaultValue: "circle",
    hideable: true,
    scope: "shared",
  },
  {
    name: "noise",
    label: "Noise",
    control: "slider",
    help: "How far each point is moved at random from its clean position, in percent.",
    type: "enum",
    values: NOISE_LEVELS,
    defaultValue: 0,
    hideable: true,
    scope: "shared",
  },
  {
    name: "trainPercent",
    label: "Training data (%)",
    control: "slider",
    help: "Share of the points used for training; the rest measure the test loss.",
    type: "enum",
    values: TRAIN_PERCENTAGES,
    defaultValue: 50,
    hideable: true,
    scope: "shared",
  },
  {
    name: "batchSize",
    label: "Batch size",
    control: "slider",
    help: "Points per gradient step; an epoch is one pass over all training points.",
    type: "integer",
    minimum: 1,
    maximum: 30,
    defaultValue: 10,
    hideable: true,
    scope: "shared",
  },
  {
    name: "seed",
    label: "Seed",
    control: "number",
    help: "One number that fixes the data, the initial weights and the batch order.",
    type: "integer",
    minimum: 0,
    maximum: MAX_SEED,
    defaultValue: 1,
    hideable: true,
    scope: "shared",
  },
  {
    name: "showTestData",
    label: "Show test data",
    control: "checkbox",
    help: "Draw the test points, with a dark rim, over the output.",
    type: "boolean",
    defaultValue: false,
    hideable: true,
    scope: "shared",
  },
  {
    name: "discretize",
    label: "Discretize output",
    control: "checkbox",
    help: "Colour the output by its sign only.",
    type: "boolean",
    defaultValue: false,
    hideable: true,
    scope: "shared",
  },
  {
    name: "epochsPerFrame",
    label: "Epochs per frame",
    control: "select",
    help: "Epochs trained between two pictures while playing.",
    type: "enum",
    values: EPOCHS_PER_FRAME,
    defaultValue: 1,
    hideable: true,
    scope: "shared",
  },
  {
    name: "compare",
    label: "Compare two networks",
    control: "checkbox",
    help: "Train a second network on the same data, side by side.",
    type: "boolean",
    defaultValue: false,
    hideable: true,
    scope: "shared",
  },
  {
    name: "challenge",
    label: "Challenge",
    control: "none",
    type: "boolean",
    defaultValue: false,
    hideable: false,
    scope: "shared",
  },
  {
    name: "features",
    label: "Features",
    control: "network",
    help: "Inputs fed to the network; click one in the diagram to switch it.",
    type: "featureSet",
    defaultValue: ["x1", "x2"],
    hideable: true,
    scope: "config",
  },
  {
    name: "networkShape",
    label: "Hidden layers",
    control: "network",
    help: "Number of neurons in each hidden layer.",
    type: "layerSizes",
    defaultValue: [4, 2],
    hideable: true,
    scope: "config",
  },
  {
    name: "activation",
    label: "Activation",
    control: "select",
    help: "Function each hidden neuron applies to its weighted sum.",
    type: "enum",
    values: ACTIVATION_NAMES,
    defaultValue: "tanh",
    hideable: true,
    scope: "config",
  },
  {
    name: "learningRate",
    label: "Learning rate",
    control: "select",
    help: "Size of each gradient step. Changing it keeps the trained weights.",
    type: "enum",
    values: LEARNING_RATES,
    defaultValue: 0.03,
    hideable: true,
    scope: "config",
  },
  {
    name: "regularization",
    label: "Regularization",
    control: "select",
    help: "L1 adds the sum of |w| to the loss, L2 half the sum of w².",
    type: "enum",
    values: REGULARIZATIONS,
    defaultValue: "none",
    hideable: true,
    scope: "config",
  },
  {
    name: "regularizationRate",
    label: "Regularization rate",
    control: "select",
    help: "Weight of the regularization term in the loss.",
    type: "enum",
    values: REGULARIZATION_RATES,
    defaultValue: 0,
    hideable: true,
    scope: "config",
  },
  {
    name: "initZero",
    label: "Start from zero weights",
    control: "none",
    type: "boolean",
    defaultValue: false,
    hideable: false,
    scope: "config",
  },
];

/** Controls that are not settings but that a teacher's link can hide too. */
export const EXTRA_HIDEABLE_CONTROLS = [
  "regenerate",
  "resetButton",
  "stepButton",
  "editData",
  "exports",
  "classroomLink",
];

export const HIDEABLE_CONTROLS = [
  ...SETTINGS.filter((setting) => setting.hideable).map((setting) => setting.name),
  ...EXTRA_HIDEABLE_CONTROLS,
];

export const SECOND_CONFIG_PREFIX = "b.";
export const HIDE_KEY = "hide";

const SETTINGS_BY_NAME = new Map(SETTINGS.map((setting) => [setting.name, setting]));
export const SHARED_SETTINGS = SETTINGS.filter((setting) => setting.scope === "shared");
export const CONFIG_SETTINGS = SETTINGS.filter((setting) => setting.scope === "config");

/**
 * The classic exercise: a linear model on the circle data cannot fit it, and
 * at learning rate 0.00001 nothing visibly moves either.
 */
export const CHALLENGE = {
  shared: {
    problem: "classification",
    dataset: "circle",
    noise: 0,
    trainPercent: 50,
    batchSize: 10,
    seed: 1,
  },
  config: {
    features: ["x1", "x2"],
    networkShape: [],
    activation: "tanh",
    learningRate: 0.00001,
    regularization: "none",
    regularizationRate: 0,
  },
  targetTestLoss: 0.3,
};

export function getSetting(name) {
  return SETTINGS_BY_NAME.get(name);
}

function copyValue(value) {
  return Array.isArray(value) ? value.slice() : value;
}

function defaultsFor(settings) {
  return Object.fromEntries(
    settings.map((setting) => [setting.name, copyValue(setting.defaultValue)]),
  );
}

/** Returns the default state: { shared, configs: [first, second], hidden }. */
export function defaultState() {
  const config = defaultsFor(CONFIG_SETTINGS);
  return {
    shared: defaultsFor(SHARED_SETTINGS),
    configs: [config, defaultsFor(CONFIG_SETTINGS)],
    hidden: [],
  };
}

function describeAllowed(setting) {
  switch (setting.type) {
    case "enum":
      return `one of ${setting.values.join(", ")}`;
    case "boolean":
      return "true or false";
    case "integer":
      return `a whole number from ${setting.minimum} to ${setting.maximum}`;
    case "featureSet":
      return `a comma-separated list of at least one of ${FEATURE_IDS.join(", ")}`;
    case "layerSizes":
      return (
        `up to ${MAX_HIDDEN_LAYERS} comma-separated layer sizes, ` +
        `each from 1 to ${MAX_NEURONS_PER_LAYER}`
      );
    default:
      return "a valid value";
  }
}

function parseInteger(text) {
  return /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
}

/**
 * Parses the text of one setting's value. Returns undefined when the text is
 * not an allowed value.
 */
export function parseSettingValue(setting, text) {
  switch (setting.type) {
    case "enum": {
      const match = setting.values.find(
        (value) =>
          String(value) === text ||
          (typeof value === "number" && text.trim() !== "" && value === Number(text)),
      );
      return match;
    }
    case "boolean":
      if (text === "true" || text === "1") return true;
      if (text === "false" || text === "0") return false;
      return undefined;
    case "integer": {
      const value = parseInteger(text);
      const isValid = value >= setting.minimum && value <= setting.maximum;
      return isValid ? value : undefined;
    }
    case "featureSet": {
      const ids = text.split(",").filter((id) => id !== "");
      if (ids.length === 0 || ids.some((id) => !FEATURE_IDS.includes(id))) {
        return undefined;
      }
      return orderFeatures(ids);
    }
    case "layerSizes": {
      if (text === "") return [];
      const sizes = text.split(",").map(parseInteger);
      const isValid =
        sizes.length <= MAX_HIDDEN_LAYERS &&
        sizes.every((size) => size >= 1 && size <= MAX_NEURONS_PER_LAYER);
      return isValid ? sizes : undefined;
    }
    default:
      return undefined;
  }
}

export function formatSettingValue(setting, value) {
  if (Array.isArray(value)) return value.join(",");
  return String(value);
}

function splitHash(hash) {
  const entries = [];
  for (const part of hash.replace(/^#/, "").split("&")) {
    if (part === "") continue;
    const separator = part.indexOf("=");
    const key = decodeURIComponent(separator < 0 ? part : part.slice(0, separator));
    const text = separator < 0 ? "" : decodeURIComponent(part.slice(separator + 1));
    entries.push([key, text]);
  }
  return entries;
}

function applyChallengePreset(state) {
  Object.assign(state.shared, CHALLENGE.shared);
  state.configs = state.configs.map((config) => ({
    ...config,
    ...CHALLENGE.config,
    features: CHALLENGE.config.features.slice(),
    networkShape: CHALLENGE.config.networkShape.slice(),
  }));
}

function parseHideList(text, warnings) {
  const names = text.split(",").filter((name) => name !== "");
  for (const name of names) {
    if (!HIDEABLE_CONTROLS.includes(name)) {
      warnings.push(`The link asks to hide "${name}", which is not a control; ignored.`);
    }
  }
  return HIDEABLE_CONTROLS.filter((name) => names.includes(name));
}

/**
 * Reads the state from a URL hash such as "#dataset=xor&networkShape=4,2".
 *
 * Missing keys keep their defaults. With "challenge=true" the challenge
 * preset replaces the defaults, and explicit keys still win over it. An
 * invalid value or unknown key is skipped and listed in `warnings`.
 * The second configuration starts as a copy of the first, then takes the
 * "b." keys.
 */
export function parseHash(hash) {
  const state = defaultState();
  const warnings = [];
  const entries = splitHash(hash);
  const isChallenge = entries.some(
    ([key, text]) => key === "challenge" && (text === "true" || text === "1"),
  );
  if (isChallenge) applyChallengePreset(state);

  const secondEntries = [];
  for (const [key, text] of entries) {
    if (key === HIDE_KEY) {
      state.hidden = parseHideList(text, warnings);
      continue;
    }
    if (key.startsWith(SECOND_CONFIG_PREFIX)) {
      secondEntries.push([key.slice(SECOND_CONFIG_PREFIX.length), text, key]);
      continue;
    }
    readEntry(key, text, key, state.shared, state.configs[0], warnings);
  }
  state.configs[1] = { ...state.configs[0] };
  for (const [name, text, key] of secondEntries) {
    readEntry(name, text, key, null, state.configs[1], warnings);
  }
  const isDatasetGiven = entries.some(([key]) => key === "dataset");
  matchDatasetToProblem(state.shared, isDatasetGiven ? warnings : []);
  return { state, warnings };
}

/** Replaces a data set that does not fit the problem type by the first that does. */
export function matchDatasetToProblem(shared, warnings = []) {
  const { problem, dataset } = shared;
  if (DATASETS[dataset].problem === problem) return;
  shared.dataset = datasetsForProblem(problem)[0];
  warnings.push(
    `The data set ${dataset} is not a ${problem} data set; showing ${shared.dataset}.`,
  );
}

function readEntry(name, text, key, shared, config, warnings) {
  const setting = getSetting(name);
  const target = setting?.scope === "shared" ? shared : config;
  if (!setting || !target) {
    warnings.push(`The link contains the unknown setting "${key}"; ignored.`);
    return;
  }
  const value = parseSettingValue(setting, text);
  if (value === undefined) {
    warnings.push(
      `The link sets ${key} to "${text}", but it must be ${describeAllowed(setting)}; ` +
        `keeping ${formatSettingValue(setting, target[name])}.`,
    );
    return;
  }
  target[name] = value;
}

/**
 * Returns the message for a value typed into a setting's field that is not
 * allowed, e.g. 'Seed must be a whole number from 0 to 999999, got "-1";
 * keeping 1.', where `keptValue` is the value that stays in effect. `text`
 * is null for input the browser could not read as a number.
 */
export function describeRejectedInput(setting, text, keptValue) {
  let given = `"${text}"`;
  if (text === null) given = "text that is not a number";
  else if (text.trim() === "") given = "an empty field";
  return (
    `${setting.label} must be ${describeAllowed(setting)}, got ${given}; ` +
    `keeping ${formatSettingValue(setting, keptValue)}.`
  );
}

/**
 * Writes `state` as a URL hash. Every setting is written, so a link keeps
 * its meaning if a default changes later; the second configuration only in
 * compare mode.
 */
export function formatHash(state) {
  const parts = [];
  const add = (key, setting, value) => {
    const text = formatSettingValue(setting, value);
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text).replace(/%2C/g, ",")}`);
  };
  for (const setting of SHARED_SETTINGS) add(setting.name, setting, state.shared[setting.name]);
  for (const setting of CONFIG_SETTINGS) {
    add(setting.name, setting, state.configs[0][setting.name]);
  }
  if (state.shared.compare) {
    for (const setting of CONFIG_SETTINGS) {
      add(SECOND_CONFIG_PREFIX + setting.name, setting, state.configs[1][setting.name]);
    }
  }
  if (state.hidden.length > 0) parts.push(`${HIDE_KEY}=${state.hidden.join(",")}`);
  return `#${parts.join("&")}`;
}

/**
 * Returns which part of the run a change to `name` invalidates: "data"
 * (new data and new weights), "network" (new weights), "learningRate" (kept
 * weights) or "view" (nothing to recompute).
 */
export function changeEffect(name) {
  if (["problem", "dataset", "noise", "trainPercent", "seed"].includes(name)) {
    return "data";
  }
  if (name === "learningRate") return "learningRate";
  if (["showTestData", "discretize", "epochsPerFrame", "challenge"].includes(name)) {
    return "view";
  }
  return "network";
}
