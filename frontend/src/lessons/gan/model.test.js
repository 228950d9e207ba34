import { describe, expect, it } from "vitest";
import {
  activeRuns,
  applyEvent,
  applyRun,
  createRunView,
  describeBatchSize,
  describeBusyServer,
  describeLossCurves,
  describeMissingRun,
  epochNumbers,
  followedRunId,
  formatCount,
  formatDuration,
  formatShape,
  lossColumns,
  nextShownEpoch,
  runFraction,
  testImageCount,
  visibleRuns,
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
    expect(view.params).toEqual({ epochs: 1 });
    expect(view.loaded).toBe(true);
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

// Runs as GET /api/gan/runs lists them: newest first.
const summary = (id, status, epochsDone = 0, epochs = 50) => ({
  id,
  status,
  epochs_done: epochsDone,
  params: { epochs },
});

describe("followed run", () => {
  it("prefers the newest running run over newer queued ones", () => {
    const runs = [summary("d", "queued"), summary("c", "queued"), summary("b", "running"), summary("a", "finished")];
    expect(followedRunId(runs)).toBe("b");
    expect(followedRunId(runs, "a")).toBe("b");
  });

  it("takes the newest queued run when none is running", () => {
    const runs = [summary("c", "stopped"), summary("b", "queued"), summary("a", "queued")];
    expect(followedRunId(runs, "c")).toBe("b");
  });

  it("keeps the shown run once nothing trains", () => {
    const runs = [summary("c", "stopped"), summary("b", "finished"), summary("a", "finished")];
    expect(followedRunId(runs, "b")).toBe("b");
  });

  it("falls back to the newest run", () => {
    const runs = [summary("c", "stopped"), summary("b", "finished")];
    expect(followedRunId(runs)).toBe("c");
    expect(followedRunId(runs, "deleted")).toBe("c");
    expect(followedRunId([])).toBeNull();
  });
});

describe("busy server", () => {
  it("lists the runs that train or wait", () => {
    const runs = [summary("c", "queued"), summary("b", "running"), summary("a", "finished")];
    expect(activeRuns(runs).map((run) => run.id)).toEqual(["c", "b"]);
    expect(activeRuns([summary("a", "failed")])).toEqual([]);
  });

  it("names the training run and counts the queue", () => {
    const text = describeBusyServer([summary("c", "queued"), summary("x", "queued"), summary("b", "running", 3, 50)]);
    expect(text).toContain("Run b is training now (3 of 50 epochs done).");
    expect(text).toContain("2 runs are waiting in the queue.");
    expect(describeBusyServer([summary("c", "queued")])).toContain("1 run is waiting in the queue.");
    expect(describeBusyServer([summary("c", "queued")])).not.toContain("training now");
  });
});

describe("test images", () => {
  it("counts the test images a run scores", () => {
    expect(testImageCount(null)).toBeNull();
    expect(testImageCount({ batch_size: 512, test_batches: null })).toBe(10000);
    expect(testImageCount({ batch_size: 32, test_batches: 2 })).toBe(64);
    expect(testImageCount({ batch_size: 4096, test_batches: 1000 })).toBe(10000);
  });

  it("states the count in the loss description", () => {
    expect(describeLossCurves({ batch_size: 32, test_batches: 2 })).toContain("mean loss on 64 of the 10,000 test images");
    expect(describeLossCurves({ batch_size: 512, test_batches: null })).toContain("mean loss on all 10,000 test images");
    expect(describeLossCurves(null)).toContain("mean loss on the test images");
  });
});

describe("run list", () => {
  const runs = ["f", "e", "d", "c", "b", "a"].map((id) => summary(id, "finished"));

  it("lists the newest runs and the shown one", () => {
    expect(visibleRuns(runs, 3, false).map((run) => run.id)).toEqual(["f", "e", "d"]);
    expect(visibleRuns(runs, 3, false, "a").map((run) => run.id)).toEqual(["f", "e", "d", "a"]);
    expect(visibleRuns(runs, 3, false, "e").map((run) => run.id)).toEqual(["f", "e", "d"]);
  });

  it("lists every run when expanded or short", () => {
    expect(visibleRuns(runs, 3, true)).toHaveLength(6);
    expect(visibleRuns(runs, 6, false)).toHaveLength(6);
  });
});

describe("missing run", () => {
  it("points to the list when there are runs", () => {
    const text = describeMissingRun("doesnotexist", 3);
    expect(text).toContain('No run with id "doesnotexist" exists on this server.');
    expect(text).toContain("Choose a run from the list");
  });

  it("says that no run exists yet", () => {
    expect(describeMissingRun("abc", 0)).toContain("no run has been started yet");
  });
});

describe("batch size", () => {
  it("names the run's batch size", () => {
    expect(describeBatchSize({ batch_size: 2048 })).toBe(" (2,048 in this run)");
  });

  it("is empty before a run is shown", () => {
    expect(describeBatchSize(null)).toBe("");
  });
});
