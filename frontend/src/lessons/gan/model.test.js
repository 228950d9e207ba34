import { describe, expect, it } from "vitest";
import {
  applyEvent,
  applyRun,
  createRunView,
  epochNumbers,
  formatCount,
  formatDuration,
  formatShape,
  lossColumns,
  nextShownEpoch,
  runFraction,
} from "./model.js";

const epochEvent = (epoch, loss) => ({
  type: "epoch",
  run_id: "r1",
  epoch,
  generator_loss: loss,
  discriminator_loss: loss + 1,
  train_generator_loss: loss + 2,
  train_discriminator_loss: loss + 3,
  seconds: 1,
  train_seconds: 0.5,
  sample_url: `/api/gan/runs/r1/samples/${epoch}.png`,
});

describe("GAN run view", () => {
  it("orders epochs and replaces a repeated one", () => {
    const view = createRunView("r1");
    applyEvent(view, epochEvent(2, 0.2));
    applyEvent(view, epochEvent(1, 0.1));
    applyEvent(view, epochEvent(2, 0.25));
    expect(epochNumbers(view)).toEqual([1, 2]);
    expect(lossColumns(view)).toEqual([[1, 2], [0.1, 0.25], [1.1, 1.25], [2.1, 2.25], [3.1, 3.25]]);
    expect(view.epochsDone).toBe(2);
  });

  it("ignores events of another run", () => {
    const view = createRunView("r1");
    expect(applyEvent(view, { ...epochEvent(1, 0.1), run_id: "other" })).toBeNull();
    expect(view.epochs.size).toBe(0);
  });

  it("drops progress when the run ends", () => {
    const view = createRunView("r1");
    applyEvent(view, { type: "progress", run_id: "r1", epoch: 1, batch: 3, batches_per_epoch: 10, epochs: 4 });
    expect(view.progress.batch).toBe(3);
    expect(view.epochsTotal).toBe(4);
    applyEvent(view, { type: "status", run_id: "r1", status: "failed", epoch: 0, device: "cpu", reason: "NaN" });
    expect(view.progress).toBeNull();
    expect(view.reason).toBe("NaN");
    expect(view.status).toBe("failed");
  });

  it("takes status, epochs and parameters from the REST run", () => {
    const view = applyRun(createRunView("r1"), {
      status: "finished",
      device: "cpu (2 threads)",
      reason: null,
      epochs_done: 1,
      params: { epochs: 1 },
      epochs: [epochEvent(1, 0.3)],
      progress: { batch: 1 },
    });
    expect(view.epochsTotal).toBe(1);
    expect(view.progress).toBeNull();
    expect(epochNumbers(view)).toEqual([1]);
  });

  it("counts batches of the current epoch in the run fraction", () => {
    const view = createRunView("r1");
    view.epochsTotal = 4;
    expect(runFraction(view)).toBe(0);
    view.epochsDone = 1;
    view.progress = { epoch: 2, batch: 5, batches_per_epoch: 10 };
    expect(runFraction(view)).toBeCloseTo(1.5 / 4);
    view.epochsDone = 4;
    view.progress = null;
    expect(runFraction(view)).toBe(1);
  });
});

describe("formatting", () => {
  it("formats durations", () => {
    expect(formatDuration(null)).toBe("-");
    expect(formatDuration(0.42)).toBe("0.4 s");
    expect(formatDuration(44.6)).toBe("45 s");
    expect(formatDuration(185)).toBe("3 min 05 s");
    expect(formatDuration(3720)).toBe("1 h 02 min");
  });

  it("formats shapes and counts", () => {
    expect(formatShape([7, 7, 64])).toBe("7 × 7 × 64");
    expect(formatCount(280642)).toBe("280,642");
  });
});

describe("shown epoch", () => {
  it("follows the newest epoch unless the viewer went back", () => {
    expect(nextShownEpoch(null, 0, 1)).toBe(1);
    expect(nextShownEpoch(3, 3, 4)).toBe(4);
    expect(nextShownEpoch(2, 3, 4)).toBe(2);
  });
});
