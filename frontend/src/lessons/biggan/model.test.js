import { describe, expect, it } from "vitest";
import {
  DEFAULTS,
  addToGallery,
  describeLookup,
  describeResolution,
  describeStatus,
  describeWordNet,
  drawingBlockedReason,
  formatMilliseconds,
  parseInteger,
  pathText,
  linkProblems,
  readSettings,
  resolutionDetail,
  settingsFromForm,
  settingsToHash,
  unresolvedEndsText,
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

  it("says when the student picked the class", () => {
    const text = describeResolution({ found: true, name: "Labrador retriever", method: "hyponym" }, { picked: true });
    expect(text).toBe("Labrador retriever, chosen from the candidates");
  });
});

describe("resolutionDetail", () => {
  const labrador = {
    found: true,
    label: "dog",
    index: 208,
    name: "Labrador retriever",
    method: "hyponym",
    gloss: "breed originally from Labrador",
    candidates: [
      { index: 151, name: "Chihuahua" },
      { index: 208, name: "Labrador retriever" },
    ],
    path: [
      { name: "dog.n.01", lemmas: ["dog"] },
      { name: "retriever.n.01", lemmas: ["retriever"] },
      { name: "labrador_retriever.n.01", lemmas: ["Labrador retriever"] },
    ],
  };

  it("describes the chosen class only", () => {
    const text = resolutionDetail(labrador);
    expect(text).toContain("dog → retriever → Labrador retriever. ");
    expect(text).toContain('"Labrador retriever" is a kind of "dog" in WordNet. 2 classes are, and the seed picks one.');
    expect(text).toContain("Class 208: breed originally from Labrador.");
    expect(text).not.toContain("Chihuahua");
  });

  it("credits the student for a picked class", () => {
    expect(resolutionDetail(labrador, { picked: true })).toContain("you picked this one");
  });

  it("leaves out what a name match lacks", () => {
    const text = resolutionDetail({ found: true, label: "tabby", index: 281, name: "tabby", method: "name", path: [] });
    expect(text).toBe("");
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

  it("names each out-of-range or junk link value with its range", () => {
    const problems = linkProblems("#label=dog&truncation=5&seed=abc&count=40&steps=4");
    expect(problems).toEqual([
      { field: "truncation", text: "The link's truncation 5 is outside 0.02 to 1, so 1 is used." },
      {
        field: "seed",
        text: 'The link\'s seed "abc" is not a whole number (allowed: a whole number from 0 to 2147483647), so none is used.',
      },
      { field: "count", text: "The link's count 40 is outside 1 to 16, so 16 is used." },
    ]);
  });

  it("finds nothing wrong with a link of valid or absent values", () => {
    expect(linkProblems("#label=dog&truncation=0.5&seed=3&count=2")).toEqual([]);
    expect(linkProblems("")).toEqual([]);
    expect(linkProblems("#seed=")).toEqual([]);
  });

  it("round-trips through the hash values", () => {
    const settings = { ...readSettings(""), label: "cat", seed: 12, fromLabel: "dog", toLabel: "hen" };
    const hash = `#${new URLSearchParams(Object.entries(settingsToHash(settings)).filter(([, v]) => v !== null))}`;
    expect(readSettings(hash)).toEqual(settings);
  });
});

describe("settingsFromForm", () => {
  const texts = {
    label: " dog ",
    truncation: "0.7",
    seed: "5",
    count: "3",
    fromLabel: "goldfish",
    toLabel: "lynx",
    steps: "4",
  };

  it("reads valid form texts into settings that round-trip through the hash", () => {
    const settings = settingsFromForm(texts);
    expect(settings).toEqual({
      label: "dog",
      truncation: 0.7,
      seed: 5,
      count: 3,
      fromLabel: "goldfish",
      toLabel: "lynx",
      steps: 4,
    });
    const hash = `#${new URLSearchParams(Object.entries(settingsToHash(settings)))}`;
    expect(readSettings(hash)).toEqual(settings);
    expect(linkProblems(hash)).toEqual([]);
  });

  it("leaves out numbers that are empty, junk or out of range", () => {
    const settings = settingsFromForm({ ...texts, truncation: "3", seed: "", count: "99", steps: "1.5" });
    expect(settings.truncation).toBeNull();
    expect(settings.seed).toBeNull();
    expect(settings.count).toBeNull();
    expect(settings.steps).toBeNull();
    expect(settings.label).toBe("dog");
  });

  it("keeps an empty label and cuts a long one", () => {
    expect(settingsFromForm({ ...texts, label: "  " }).label).toBe("");
    expect(settingsFromForm({ ...texts, label: "a".repeat(150) }).label).toHaveLength(100);
  });
});

describe("describeLookup", () => {
  it("names the label being looked up", () => {
    expect(describeLookup("soap bubble", "on")).toEqual({ text: 'looking up "soap bubble"...', detail: "" });
  });

  it("explains the wait while WordNet loads", () => {
    expect(describeLookup("dog", "loading").detail).toContain("loading the WordNet dictionary");
    expect(describeLookup("dog", null).detail).toBe("");
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

  it("tells the student in plain words and keeps the setting for the teacher", () => {
    const message =
      "BigGAN model not available: the folder /srv/weights does not exist. Set ANNLAB_BIGGAN_MODEL to a folder.";
    const summary = describeStatus({
      worker: { reachable: true },
      model: { state: "unavailable", message, model: "/srv/weights" },
      model_setting: "ANNLAB_BIGGAN_MODEL",
    });
    expect(summary.kind).toBe("unavailable");
    expect(summary.text).toContain("not installed on this server");
    expect(summary.text).toContain("Ask your teacher");
    expect(summary.text).not.toContain("ANNLAB_BIGGAN_MODEL");
    expect(summary.text).not.toContain("/srv/weights");
    expect(summary.details).toEqual([message]);
  });

  it("names the setting when the worker's message does not", () => {
    const summary = describeStatus({
      worker: { reachable: true },
      model: { state: "unavailable", message: "Loading failed.", model: "biggan-deep-256" },
      model_setting: "ANNLAB_BIGGAN_MODEL",
    });
    expect(summary.details).toHaveLength(2);
    expect(summary.details[1]).toContain("ANNLAB_BIGGAN_MODEL");
    expect(summary.details[1]).toContain('"biggan-deep-256"');
  });

  it("reports a worker that is down, with its error as detail", () => {
    const summary = describeStatus({ worker: { reachable: false, message: "connection refused" }, model: null });
    expect(summary.kind).toBe("down");
    expect(summary.text).not.toContain("refused");
    expect(summary.details).toEqual(["connection refused"]);
  });

  it("reports a ready model without details", () => {
    const summary = describeStatus({
      worker: { reachable: true },
      model: { state: "ready", device: "cpu", image_size: 128, max_batch: 16 },
    });
    expect(summary.kind).toBe("ready");
    expect(summary.text).toBe("Model ready on cpu: 128×128 pixels, up to 16 images per batch.");
    expect(summary.details).toEqual([]);
  });
});

describe("describeWordNet", () => {
  it("moves the folder and command of a missing WordNet into the detail", () => {
    const message = "The WordNet search is off: no corpora/wordnet folder was found in /data/nltk_data.";
    const summary = describeWordNet({ state: "off", message });
    expect(summary.text).toContain("class names only");
    expect(summary.text).not.toContain("/data");
    expect(summary.detail).toBe(message);
  });

  it("says nothing while WordNet is on or loading", () => {
    expect(describeWordNet({ state: "on", message: "WordNet loaded." })).toBeNull();
    expect(describeWordNet({ state: "loading", message: "Loading WordNet." })).toBeNull();
    expect(describeWordNet(undefined)).toBeNull();
  });
});

describe("drawingBlockedReason", () => {
  it("allows drawing only with a ready model", () => {
    expect(drawingBlockedReason("ready")).toBe("");
    for (const kind of [null, "loading", "unavailable", "down"]) {
      expect(drawingBlockedReason(kind)).not.toBe("");
    }
  });

  it("tells a loading model from a missing one", () => {
    expect(drawingBlockedReason("loading")).toContain("once the image model has loaded");
    expect(drawingBlockedReason("unavailable")).toContain("not available");
    expect(drawingBlockedReason("down")).toContain("not available");
  });
});

describe("unresolvedEndsText", () => {
  it("names each end without a class", () => {
    const text = unresolvedEndsText([
      { found: false, message: "No class matches 'zzz'." },
      { found: false, message: "No class matches 'qqq'." },
    ]);
    expect(text).toBe("From: No class matches 'zzz'. To: No class matches 'qqq'.");
  });

  it("is empty when both ends were found", () => {
    expect(unresolvedEndsText([{ found: true }, { found: true }])).toBe("");
  });

  it("names only the end that failed", () => {
    expect(unresolvedEndsText([{ found: true }, { found: false, message: "None." }])).toBe("To: None.");
  });
});

describe("formatMilliseconds", () => {
  it("switches to seconds above one second", () => {
    expect(formatMilliseconds(12.4)).toBe("12 ms");
    expect(formatMilliseconds(2500)).toBe("2.5 s");
  });
});
