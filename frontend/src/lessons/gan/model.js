// The state of one watched GAN run, rebuilt from the server's stream events,
// and the formatting the page needs. It uses no DOM, so Vitest covers it.

import { GAN_EVENT } from "../../api/events.js";

export const ACTIVE_STATUSES = ["queued", "running"];
export const RESUMABLE_STATUSES = ["stopped", "interrupted"];
// Images in the Fashion-MNIST test set.
export const TEST_SET_SIZE = 10_000;

/** Creates an empty view of run `runId`; `applyEvent` fills it. */
export function createRunView(runId) {
  return {
    runId,
    status: null,
    device: null,
    reason: null,
    epochsDone: 0,
    epochsTotal: null,
    params: null,
    // True once the REST summary is in, which lists every epoch so far.
    loaded: false,
    // True when the server has no run with this id.
    notFound: false,
    // Error message of the failed REST summary request, for any failure but a missing run.
    loadError: null,
    epochs: new Map(),
    progress: null,
  };
}

/** Copies the REST summary of a run (GET /api/gan/runs/{id}) into `view`. */
export function applyRun(view, run) {
  view.status = run.status;
  view.device = run.device;
  view.reason = run.reason;
  view.epochsDone = run.epochs_done;
  view.epochsTotal = run.params.epochs;
  view.params = run.params;
  view.loaded = true;
  for (const epoch of run.epochs) view.epochs.set(epoch.epoch, epoch);
  view.progress = ACTIVE_STATUSES.includes(run.status) ? run.progress : null;
  return view;
}

/**
 * Updates `view` with one stream event and returns what changed: "status",
 * "epoch", "progress" or null for an event of another run or type.
 * An epoch event replaces an earlier one with the same number.
 */
export function applyEvent(view, event) {
  if (event.run_id !== view.runId) return null;
  switch (event.type) {
    case GAN_EVENT.STATUS:
      view.status = event.status;
      view.device = event.device ?? view.device;
      view.reason = event.reason;
      view.epochsDone = event.epoch;
      if (!ACTIVE_STATUSES.includes(event.status)) view.progress = null;
      return "status";
    case GAN_EVENT.EPOCH:
      view.epochs.set(event.epoch, event);
      view.epochsDone = Math.max(view.epochsDone, event.epoch);
      return "epoch";
    case GAN_EVENT.PROGRESS:
      view.progress = event;
      view.epochsTotal = event.epochs;
      return "progress";
    default:
      return null;
  }
}

/** Returns the epoch numbers received so far, in order. */
export function epochNumbers(view) {
  return [...view.epochs.keys()].sort((a, b) => a - b);
}

/** Returns the loss chart columns: epochs, then generator and discriminator test losses, then their training losses. */
export function lossColumns(view) {
  const numbers = epochNumbers(view);
  const pick = (name) => numbers.map((number) => view.epochs.get(number)[name]);
  return [
    numbers,
    pick("generator_loss"),
    pick("discriminator_loss"),
    pick("train_generator_loss"),
    pick("train_discriminator_loss"),
  ];
}

/** Returns the fraction of the run done, from 0 to 1, counting batches of the current epoch. */
export function runFraction(view) {
  const total = view.epochsTotal;
  if (!total) return 0;
  const progress = view.progress;
  if (progress && progress.epoch > view.epochsDone) {
    const inEpoch = progress.batch / progress.batches_per_epoch;
    return Math.min(1, (progress.epoch - 1 + inEpoch) / total);
  }
  return Math.min(1, view.epochsDone / total);
}

/** Formats a duration as "0.4 s", "45 s", "3 min 05 s" or "1 h 02 min"; null gives "-". */
export function formatDuration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return "-";
  if (seconds < 9.95) return `${Math.max(0, seconds).toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${String(whole % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Formats a layer's output shape such as [7, 7, 64] as "7 × 7 × 64". */
export function formatShape(shape) {
  return shape.join(" × ");
}

/** Formats a count with thousands separators: 259521 gives "259,521". */
export function formatCount(count) {
  return count.toLocaleString("en-US");
}

/**
 * Picks the epoch to show after new epochs arrived: the newest one when the
 * viewer was already at the newest (or had none), otherwise the one they chose.
 */
export function nextShownEpoch(shown, previousNewest, newest) {
  if (shown == null || shown === previousNewest) return newest;
  return shown;
}

/**
 * Describes a run id that the server does not have, and what the viewer can
 * do instead, given the `runCount` runs the server lists.
 */
export function describeMissingRun(runId, runCount) {
  const missing = `No run with id "${runId}" exists on this server`;
  if (runCount > 0) {
    return `${missing}. Choose a run from the list, or press "Follow the training run".`;
  }
  return `${missing}, and no run has been started yet. Press "Follow the training run" to watch the next one.`;
}

/** Describes the batch size of a run with `params` as " (512 in this run)"; "" before a run is shown. */
export function describeBatchSize(params) {
  if (params?.batch_size == null) return "";
  return ` (${formatCount(params.batch_size)} in this run)`;
}

/**
 * Returns the number of test images a run scores after each epoch: all of
 * them, or `test_batches` batches of `batch_size` when the run sets it.
 * Null without parameters. The trainer's `_test_count` computes the same.
 */
export function testImageCount(params) {
  if (!params) return null;
  if (params.test_batches == null) return TEST_SET_SIZE;
  return Math.min(TEST_SET_SIZE, params.test_batches * params.batch_size);
}

/** Describes the loss curves for a run with `params` (null before a run is shown). */
export function describeLossCurves(params) {
  const count = testImageCount(params);
  let scored = "the test images";
  if (count === TEST_SET_SIZE) scored = `all ${formatCount(TEST_SET_SIZE)} test images`;
  else if (count != null) {
    scored = `${formatCount(count)} of the ${formatCount(TEST_SET_SIZE)} test images (Test batches × Batch size)`;
  }
  return `Solid lines: mean loss on ${scored} after each epoch. Dashed lines: mean over the epoch's training batches.`;
}

/**
 * Picks the run that a page without a chosen run shows, from `runs` listed
 * newest first: the newest running run, else the newest queued one. With
 * neither, the page keeps `currentId` while it still exists, so a run that
 * just ended stays in view, and otherwise takes the newest run. Null when
 * there are no runs.
 */
export function followedRunId(runs, currentId = null) {
  const running = runs.find((run) => run.status === "running");
  if (running) return running.id;
  const queued = runs.find((run) => run.status === "queued");
  if (queued) return queued.id;
  if (currentId != null && runs.some((run) => run.id === currentId)) return currentId;
  return runs[0]?.id ?? null;
}

/** Returns the runs that are training or waiting to train, newest first. */
export function activeRuns(runs) {
  return runs.filter((run) => ACTIVE_STATUSES.includes(run.status));
}

/**
 * Explains to a teacher about to start a run that `active` runs (newest
 * first, at least one) are already training or queued.
 */
export function describeBusyServer(active) {
  const running = active.find((run) => run.status === "running");
  const queuedCount = active.filter((run) => run.status === "queued").length;
  const parts = [];
  if (running) {
    parts.push(`Run ${running.id} is training now (${running.epochs_done} of ${running.params.epochs} epochs done).`);
  }
  if (queuedCount === 1) parts.push("1 run is waiting in the queue.");
  if (queuedCount > 1) parts.push(`${queuedCount} runs are waiting in the queue.`);
  parts.push("A new run waits until those end.");
  return parts.join(" ");
}

/**
 * Returns the runs to list: the newest `limit` unless `expanded`, plus the
 * run with id `currentId` when it is older, so the shown run is always listed.
 */
export function visibleRuns(runs, limit, expanded, currentId = null) {
  if (expanded || runs.length <= limit) return runs;
  const newest = runs.slice(0, limit);
  const current = runs.find((run) => run.id === currentId);
  if (current && !newest.includes(current)) newest.push(current);
  return newest;
}
