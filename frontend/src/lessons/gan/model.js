// The state of one watched GAN run, rebuilt from the server's stream events,
// and the formatting the page needs. It uses no DOM, so Vitest covers it.

import { GAN_EVENT } from "../../api/events.js";

export const ACTIVE_STATUSES = ["queued", "running"];
export const RESUMABLE_STATUSES = ["stopped", "interrupted"];

/** Creates an empty view of run `runId`; `applyEvent` fills it. */
export function createRunView(runId) {
  return {
    runId,
    status: null,
    device: null,
    reason: null,
    epochsDone: 0,
    epochsTotal: null,
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
