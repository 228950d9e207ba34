import { describe, expect, it } from "vitest";
import { FEATURE_IDS } from "./features.js";
import { createRandom } from "./random.js";
import {
  CHALLENGE,
  CONFIG_SETTINGS,
  HIDEABLE_CONTROLS,
  MAX_HIDDEN_LAYERS,
  SETTINGS,
  SHARED_SETTINGS,
  changeEffect,
  defaultState,
  describeRejectedInput,
  getSetting,
  parseSettingValue,
  formatHash,
  parseHash,
} from "./settings.js";
import { DATASETS } from "./datasets.js";

/** Draws a random allowed value of `setting`. */
function randomValue(setting, random) {
  switch (setting.type) {
    case "enum":
      return setting.values[random.integer(setting.values.length)];
    case "boolean":
      return random.next() < 0.5;
    case "integer":
      return setting.minimum + random.integer(setting.maximum - setting.minimum + 1);
    case "featureSet": {
      const ids = FEATURE_IDS.filter(() => random.next() < 0.5);
      return ids.length > 0 ? ids : ["x2"];
    }
    case "layerSizes":
      return Array.from({ length: random.integer(MAX_HIDDEN_LAYERS + 1) }, () => 1 + random.integer(8));
    default:
      throw new Error(`no generator for ${setting.type}`);
  }
}

function randomState(random) {
  const state = defaultState();
  for (const setting of SHARED_SETTINGS) state.shared[setting.name] = randomValue(setting, random);
  // The data set has to fit the problem type.
  state.shared.dataset = Object.keys(DATASETS).find(
    (name) => DATASETS[name].problem === state.shared.problem && random.next() < 0.7,
  ) ?? (state.shared.problem === "classification" ? "spiral" : "multiGauss");
  for (const config of state.configs) {
    for (const setting of CONFIG_SETTINGS) config[setting.name] = randomValue(setting, random);
  }
  state.hidden = HIDEABLE_CONTROLS.filter(() => random.next() < 0.3);
  return state;
}

describe("URL hash state", () => {
  it("round-trips random states", () => {
    const random = createRandom(2024, "settings");
    for (let trial = 0; trial < 200; trial++) {
      const state = randomState(random);
      // The challenge flag brings its own preset, tested separately.
      state.shared.challenge = false;
      if (!state.shared.compare) state.configs[1] = { ...state.configs[0] };
      const { state: parsed, warnings } = parseHash(formatHash(state));
      expect(warnings).toEqual([]);
      expect(parsed).toEqual(state);
    }
  });

  it("keeps the defaults for an empty hash", () => {
    expect(parseHash("")).toEqual({ state: defaultState(), warnings: [] });
  });

  it("writes readable lists", () => {
    const state = defaultState();
    const hash = formatHash(state);
    expect(hash).toContain("networkShape=4,2");
    expect(hash).toContain("features=x1,x2");
    expect(hash).toContain("learningRate=0.03");
    expect(hash).not.toContain("b.");
  });

  it("reads an empty layer list as no hidden layer", () => {
    expect(parseHash("#networkShape=").state.configs[0].networkShape).toEqual([]);
  });

  it("skips invalid values and says why", () => {
    const { state, warnings } = parseHash(
      "#learningRate=7&batchSize=31&networkShape=4,9&features=x1,cos&seed=2.5&noise=12",
    );
    const defaults = defaultState();
    expect(state.configs[0].learningRate).toBe(defaults.configs[0].learningRate);
    expect(state.shared.batchSize).toBe(defaults.shared.batchSize);
    expect(state.configs[0].networkShape).toEqual([4, 2]);
    expect(state.configs[0].features).toEqual(["x1", "x2"]);
    expect(state.shared.seed).toBe(defaults.shared.seed);
    expect(state.shared.noise).toBe(0);
    expect(warnings).toHaveLength(6);
    expect(warnings[0]).toMatch(/learningRate to "7", but it must be one of 0.00001/);
    expect(warnings[1]).toMatch(/whole number from 1 to 30/);
  });

  it("rejects more than six hidden layers", () => {
    const { state, warnings } = parseHash("#networkShape=1,1,1,1,1,1,1");
    expect(state.configs[0].networkShape).toEqual([4, 2]);
    expect(warnings).toHaveLength(1);
  });

  it("warns about unknown keys and hide names", () => {
    const { state, warnings } = parseHash("#colour=red&hide=noise,volume");
    expect(state.hidden).toEqual(["noise"]);
    expect(warnings).toEqual([
      'The link contains the unknown setting "colour"; ignored.',
      'The link asks to hide "volume", which is not a control; ignored.',
    ]);
  });

  it("reads numbers in other notations", () => {
    expect(parseHash("#learningRate=1e-5").state.configs[0].learningRate).toBe(0.00001);
    expect(parseHash("#learningRate=0.30").state.configs[0].learningRate).toBe(0.3);
  });

  it("fixes a data set that does not fit the problem", () => {
    const quiet = parseHash("#problem=regression");
    expect(quiet.state.shared.dataset).toBe("plane");
    expect(quiet.warnings).toEqual([]);
    const loud = parseHash("#problem=regression&dataset=spiral");
    expect(loud.state.shared.dataset).toBe("plane");
    expect(loud.warnings[0]).toMatch(/spiral is not a regression data set/);
  });

  it("copies the first configuration into the second, then applies b. keys", () => {
    const { state } = parseHash("#compare=true&learningRate=0.1&b.activation=relu");
    expect(state.configs[1].learningRate).toBe(0.1);
    expect(state.configs[1].activation).toBe("relu");
    expect(state.configs[0].activation).toBe("tanh");
    expect(formatHash(state)).toContain("b.activation=relu");
  });

  it("rejects a shared setting with the b. prefix", () => {
    const { warnings } = parseHash("#b.noise=10");
    expect(warnings[0]).toMatch(/unknown setting "b.noise"/);
  });
});

describe("challenge link", () => {
  it("applies the preset", () => {
    const { state } = parseHash("#challenge=true");
    expect(state.shared.challenge).toBe(true);
    expect(state.shared.dataset).toBe("circle");
    expect(state.configs[0].learningRate).toBe(0.00001);
    expect(state.configs[0].networkShape).toEqual([]);
    expect(state.configs[0].features).toEqual(["x1", "x2"]);
    expect(CHALLENGE.targetTestLoss).toBeGreaterThan(0);
  });

  it("lets explicit keys win over the preset", () => {
    const { state } = parseHash("#learningRate=0.1&challenge=1");
    expect(state.configs[0].learningRate).toBe(0.1);
  });

  it("survives a round trip", () => {
    const { state } = parseHash("#challenge=true&features=x1,x2,x1Squared");
    expect(parseHash(formatHash(state)).state).toEqual(state);
  });
});

describe("settings table", () => {
  it("has a valid default for every setting", () => {
    const defaults = defaultState();
    for (const setting of SETTINGS) {
      const value =
        setting.scope === "shared" ? defaults.shared[setting.name] : defaults.configs[0][setting.name];
      expect(value, setting.name).toEqual(setting.defaultValue);
      if (setting.type === "enum") expect(setting.values).toContain(setting.defaultValue);
    }
  });

  it("keeps the weights only for a learning rate change", () => {
    expect(changeEffect("learningRate")).toBe("learningRate");
    expect(changeEffect("activation")).toBe("network");
    expect(changeEffect("noise")).toBe("data");
    expect(changeEffect("discretize")).toBe("view");
  });
});

describe("seed input", () => {
  const seed = getSetting("seed");

  it("rejects seeds out of range instead of clamping them", () => {
    for (const text of ["-1", "99999999999999999999", "1000000", "2.5", "1e3", ""]) {
      expect(parseSettingValue(seed, text)).toBeUndefined();
    }
    expect(parseSettingValue(seed, "0")).toBe(0);
    expect(parseSettingValue(seed, "999999")).toBe(999999);
  });

  it("rejects the same seeds in a link", () => {
    const { state, warnings } = parseHash("#seed=99999999999999999999");
    expect(state.shared.seed).toBe(1);
    expect(warnings).toEqual([
      'The link sets seed to "99999999999999999999", but it must be a whole number from 0 to 999999; keeping 1.',
    ]);
  });

  it("explains a rejected value with the range and the value kept", () => {
    expect(describeRejectedInput(seed, "-1", 1)).toBe(
      'Seed must be a whole number from 0 to 999999, got "-1"; keeping 1.',
    );
    expect(describeRejectedInput(seed, "99999999999999999999", 42)).toBe(
      'Seed must be a whole number from 0 to 999999, got "99999999999999999999"; keeping 42.',
    );
  });

  it("names an empty or unreadable field", () => {
    expect(describeRejectedInput(seed, " ", 1)).toContain("got an empty field; keeping 1.");
    expect(describeRejectedInput(seed, null, 1)).toContain("got text that is not a number; keeping 1.");
  });
});
