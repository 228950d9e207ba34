// Pure helpers of the BigGAN page: texts for resolved labels and worker states,
// settings read from the URL hash, and the gallery of recent images.

export const DEFAULTS = Object.freeze({
  label: "soap bubble",
  truncation: 0.4,
  seed: null,
  count: 4,
  fromLabel: "golden retriever",
  toLabel: "tabby",
  steps: 6,
});
export const LIMITS = Object.freeze({
  truncation: { minimum: 0.02, maximum: 1, step: 0.02 },
  seed: { minimum: 0, maximum: 2147483647 },
  count: { minimum: 1, maximum: 16 },
  steps: { minimum: 2, maximum: 10 },
  label: { maxLength: 100 },
});
export const GALLERY_SIZE = 24;

const WORDNET_METHODS = new Set(["direct", "hyponym", "hypernym"]);

/** Returns how a class was reached, as the end of "Labrador retriever, via WordNet". */
export function methodText(method) {
  if (method === "name") return "by its class name";
  if (method === "synonym") return "by another name of the class";
  if (WORDNET_METHODS.has(method)) return "via WordNet";
  if (method === "index") return "chosen from the candidates";
  if (method === "random") return "picked at random";
  return "";
}

/**
 * Returns the line shown next to the typed word, e.g. "Labrador retriever, via WordNet".
 * `picked` marks a class the student took from the candidate list.
 */
export function describeResolution(resolution, { picked = false } = {}) {
  if (!resolution?.found) return "no matching class";
  const route = picked ? "chosen from the candidates" : methodText(resolution.method);
  return route ? `${resolution.name}, ${route}` : resolution.name;
}

/** Returns the WordNet route as "dog → toy dog → Chihuahua", or "" without one. */
export function pathText(path) {
  if (!path?.length) return "";
  return path.map((step) => step.lemmas[0] ?? step.name).join(" → ");
}

/** Explains in a sentence what the WordNet method means for this label. */
export function methodExplanation(resolution, { picked = false } = {}) {
  const label = resolution.label;
  const name = resolution.name;
  const count = resolution.candidates?.length ?? 0;
  if (resolution.method === "hyponym") {
    const chooser = picked ? "you picked this one" : "the seed picks one";
    return `"${name}" is a kind of "${label}" in WordNet. ${count} classes are, and ${chooser}.`;
  }
  if (resolution.method === "hypernym") {
    return `No class is a "${label}" itself, so the nearest broader WordNet term with a class is used.`;
  }
  if (resolution.method === "direct") return `One sense of "${label}" in WordNet is this ImageNet class.`;
  return "";
}

/**
 * Returns the text under the resolved class: the WordNet path to it, what the
 * method means and the class's gloss, all about the chosen class.
 */
export function resolutionDetail(resolution, { picked = false } = {}) {
  const route = pathText(resolution.path);
  const gloss = resolution.gloss ? `Class ${resolution.index}: ${resolution.gloss}.` : "";
  return [route && `${route}.`, methodExplanation(resolution, { picked }), gloss].filter(Boolean).join(" ");
}

function clampInteger(text, { minimum, maximum }) {
  if (text === null || text === undefined || String(text).trim() === "") return null;
  const value = Number(text);
  if (!Number.isInteger(value)) return null;
  return Math.min(maximum, Math.max(minimum, value));
}

function clampNumber(text, { minimum, maximum }) {
  if (text === null || text === undefined || String(text).trim() === "") return null;
  const value = Number(text);
  if (!Number.isFinite(value)) return null;
  return Math.min(maximum, Math.max(minimum, value));
}

/** Reads label, truncation, seed, count and the interpolation settings from a URL hash. */
export function readSettings(hash) {
  const entries = new URLSearchParams(String(hash ?? "").replace(/^#/, ""));
  const text = (name) => (entries.has(name) ? entries.get(name) : null);
  const label = (name, fallback) => {
    const value = text(name);
    return value === null ? fallback : value.slice(0, LIMITS.label.maxLength);
  };
  return {
    label: label("label", DEFAULTS.label),
    truncation: clampNumber(text("truncation"), LIMITS.truncation) ?? DEFAULTS.truncation,
    seed: clampInteger(text("seed"), LIMITS.seed),
    count: clampInteger(text("count"), LIMITS.count) ?? DEFAULTS.count,
    fromLabel: label("from", DEFAULTS.fromLabel),
    toLabel: label("to", DEFAULTS.toLabel),
    steps: clampInteger(text("steps"), LIMITS.steps) ?? DEFAULTS.steps,
  };
}

const LINK_FIELDS = Object.freeze([
  { key: "truncation", label: "truncation", limits: LIMITS.truncation, whole: false },
  { key: "seed", label: "seed", limits: LIMITS.seed, whole: true },
  { key: "count", label: "count", limits: LIMITS.count, whole: true },
  { key: "steps", label: "steps", limits: LIMITS.steps, whole: true },
]);

/**
 * Lists the link's numbers that readSettings could not take as they are, as
 * { field, text } entries. `field` is the setting's name, and `text` is a
 * sentence naming the value, the allowed range and what is used instead.
 */
export function linkProblems(hash) {
  const entries = new URLSearchParams(String(hash ?? "").replace(/^#/, ""));
  const settings = readSettings(hash);
  const problems = [];
  for (const { key, label, limits, whole } of LINK_FIELDS) {
    if (!entries.has(key) || entries.get(key).trim() === "") continue;
    const text = entries.get(key);
    const value = Number(text);
    const kind = whole ? "a whole number" : "a number";
    const range = `${kind} from ${limits.minimum} to ${limits.maximum}`;
    const used = settings[key] === null ? "none" : String(settings[key]);
    if (!(whole ? Number.isInteger(value) : Number.isFinite(value))) {
      problems.push({ field: key, text: `The link's ${label} "${text}" is not ${kind} (allowed: ${range}), so ${used} is used.` });
    } else if (value < limits.minimum || value > limits.maximum) {
      problems.push({ field: key, text: `The link's ${label} ${text} is outside ${limits.minimum} to ${limits.maximum}, so ${used} is used.` });
    }
  }
  return problems;
}

/**
 * Reads the settings from the form's texts ({ label, truncation, seed,
 * count, fromLabel, toLabel, steps }). A number that is empty, not a number
 * or out of range becomes null, so that settingsToHash leaves it out and a
 * reload uses the default.
 */
export function settingsFromForm(texts) {
  const label = (text) => String(text ?? "").trim().slice(0, LIMITS.label.maxLength);
  const integer = (text, limits) => {
    const value = parseInteger(text ?? "", limits);
    return Number.isNaN(value) ? null : value;
  };
  const truncation = Number(texts.truncation);
  const { minimum, maximum } = LIMITS.truncation;
  return {
    label: label(texts.label),
    truncation: truncation >= minimum && truncation <= maximum ? truncation : null,
    seed: integer(texts.seed, LIMITS.seed),
    count: integer(texts.count, LIMITS.count),
    fromLabel: label(texts.fromLabel),
    toLabel: label(texts.toLabel),
    steps: integer(texts.steps, LIMITS.steps),
  };
}

/** Returns the hash values for `settings`. writeHashValues leaves out null values. */
export function settingsToHash(settings) {
  return {
    label: settings.label,
    truncation: settings.truncation,
    seed: settings.seed,
    count: settings.count,
    from: settings.fromLabel,
    to: settings.toLabel,
    steps: settings.steps,
  };
}

/** Parses a form value as an integer within limits; "" gives null, junk gives NaN. */
export function parseInteger(text, limits) {
  if (String(text).trim() === "") return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value < limits.minimum || value > limits.maximum) return Number.NaN;
  return value;
}

/** Returns the gallery with `entries` first, keeping at most `limit` images. */
export function addToGallery(gallery, entries, limit = GALLERY_SIZE) {
  return [...entries, ...gallery].slice(0, limit);
}

/**
 * Summarizes /api/biggan/status for the banner. `kind` is ready, loading,
 * unavailable or down. `text` is for the student, and `details` lists the
 * technical lines (setting names, paths) for the teacher. `progress` is a
 * fraction while loading.
 */
export function describeStatus(status) {
  const worker = status?.worker;
  const model = status?.model;
  if (!worker?.reachable || !model) {
    return {
      kind: "down",
      text: "The image generator is not running on this server right now. Ask your teacher to check it.",
      details: [worker?.message].filter(Boolean),
      progress: null,
    };
  }
  if (model.state === "loading") {
    const percent = Math.round((model.progress ?? 0) * 100);
    return {
      kind: "loading",
      text: `Loading the image model: ${model.stage} (${percent}%).`,
      details: [],
      progress: model.progress ?? 0,
    };
  }
  if (model.state === "unavailable") {
    const setting = status.model_setting;
    const details = [model.message];
    if (setting && !model.message?.includes(setting)) {
      details.push(`The setting ${setting} selects the weights; it is now "${model.model}".`);
    }
    return {
      kind: "unavailable",
      text: "The image model is not installed on this server, so no images can be drawn. Ask your teacher.",
      details: details.filter(Boolean),
      progress: null,
    };
  }
  const where = model.device ? ` on ${model.device}` : "";
  return {
    kind: "ready",
    text: `Model ready${where}: ${model.image_size}×${model.image_size} pixels, up to ${model.max_batch} images per batch.`,
    details: [],
    progress: 1,
  };
}

/**
 * Returns the resolved-label line and its detail while the look-up of
 * `label` runs. `wordnetState` is the status's WordNet state, or null before
 * the first status.
 */
export function describeLookup(label, wordnetState) {
  const detail =
    wordnetState === "loading"
      ? "The server is still loading the WordNet dictionary, which takes a few seconds after it starts."
      : "";
  return { text: `looking up "${label}"...`, detail };
}

/**
 * Describes the WordNet search for the banner, or returns null while it is on
 * or loading: { text } for the student and { detail } for the teacher.
 */
export function describeWordNet(wordnet) {
  if (wordnet?.state !== "off") return null;
  return {
    text: "Words are matched by class names only, because the WordNet dictionary is not set up.",
    detail: wordnet.message,
  };
}

/**
 * Returns why Generate and Interpolate are off in model state `kind` (a kind
 * from describeStatus, or null before the first status), or "" when they work.
 */
export function drawingBlockedReason(kind) {
  if (kind === "ready") return "";
  if (kind === null) return "Checking whether the image model is ready.";
  if (kind === "loading") return "Drawing starts once the image model has loaded.";
  return "Drawing is off: the image model is not available (see the note at the top).";
}

/**
 * Returns a message naming each end label of an interpolation that matched
 * no class, with the server's reason, or "" when both were found.
 * `results` are the resolutions of [from, to].
 */
export function unresolvedEndsText(results) {
  const names = ["From", "To"];
  return results
    .map((result, index) => (result.found ? "" : `${names[index]}: ${result.message}`))
    .filter(Boolean)
    .join(" ");
}

/** Formats a duration in milliseconds for the timing line. */
export function formatMilliseconds(value) {
  if (value >= 1000) return `${(value / 1000).toFixed(1)} s`;
  return `${Math.round(value)} ms`;
}
