import { describe, expect, it } from "vitest";
import {
  DEFAULTS,
  addToGallery,
  describeResolution,
  describeStatus,
  formatMilliseconds,
  parseInteger,
  pathText,
  readSettings,
  settingsToHash,
} from "./model.js";

describe("describeResolution", () => {
  it("names the class and WordNet for a hyponym", () => {
    const text = describeResolution({ found: true, name: "Labrador retriever", method: "hyponym" });
    expect(text).toBe("Labrador retriever, via WordNet");
  });

  it("names the class for a direct name match", () => {
    expect(describeResolution({ found: true, name: "tabby", method: "name" })).toBe("tabby, by its class name");
  });

  it("reports a missing class", () => {
    expect(describeResolution({ found: false })).toBe("no matching class");
    expect(describeResolution(null)).toBe("no matching class");
  });
});

describe("pathText", () => {
  it("joins the first lemma of each synset", () => {
    const path = [{ name: "dog.n.01", lemmas: ["dog", "domestic dog"] }, { name: "chihuahua.n.03", lemmas: ["Chihuahua"] }];
    expect(pathText(path)).toBe("dog → Chihuahua");
  });

  it("is empty without a path", () => {
    expect(pathText([])).toBe("");
  });
});

describe("readSettings", () => {
  it("uses the defaults for an empty hash", () => {
    const settings = readSettings("");
    expect(settings.label).toBe("soap bubble");
    expect(settings.truncation).toBe(DEFAULTS.truncation);
    expect(settings.seed).toBeNull();
    expect(settings.count).toBe(DEFAULTS.count);
  });

  it("clamps numbers into range and ignores junk", () => {
    const settings = readSettings("#label=dog&truncation=5&seed=abc&count=40&steps=1");
    expect(settings.label).toBe("dog");
    expect(settings.truncation).toBe(1);
    expect(settings.seed).toBeNull();
    expect(settings.count).toBe(16);
    expect(settings.steps).toBe(2);
  });

  it("round-trips through the hash values", () => {
    const settings = { ...readSettings(""), label: "cat", seed: 12, fromLabel: "dog", toLabel: "hen" };
    const hash = `#${new URLSearchParams(Object.entries(settingsToHash(settings)).filter(([, v]) => v !== null))}`;
    expect(readSettings(hash)).toEqual(settings);
  });
});

describe("parseInteger", () => {
  const limits = { minimum: 0, maximum: 10 };
  it("returns null for an empty field and NaN for bad input", () => {
    expect(parseInteger("", limits)).toBeNull();
    expect(parseInteger("1.5", limits)).toBeNaN();
    expect(parseInteger("11", limits)).toBeNaN();
    expect(parseInteger("7", limits)).toBe(7);
  });
});

describe("addToGallery", () => {
  it("puts new images first and keeps the limit", () => {
    expect(addToGallery([1, 2, 3], [4, 5], 4)).toEqual([4, 5, 1, 2]);
  });
});

describe("describeStatus", () => {
  it("reports loading progress", () => {
    const summary = describeStatus({
      worker: { reachable: true },
      model: { state: "loading", stage: "reading the weights", progress: 0.8 },
    });
    expect(summary.kind).toBe("loading");
    expect(summary.text).toContain("80%");
    expect(summary.progress).toBe(0.8);
  });

  it("passes the unavailable message through", () => {
    const summary = describeStatus({
      worker: { reachable: true },
      model: { state: "unavailable", message: "Set ANNLAB_BIGGAN_MODEL" },
    });
    expect(summary).toEqual({ kind: "unavailable", text: "Set ANNLAB_BIGGAN_MODEL", progress: null });
  });

  it("reports a worker that is down", () => {
    expect(describeStatus({ worker: { reachable: false, message: "refused" }, model: null }).kind).toBe("down");
  });
});

describe("formatMilliseconds", () => {
  it("switches to seconds above one second", () => {
    expect(formatMilliseconds(12.4)).toBe("12 ms");
    expect(formatMilliseconds(2500)).toBe("2.5 s");
  });
});
