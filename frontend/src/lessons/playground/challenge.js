/**
 * Progress on the challenge: bring the test loss under a target on the
 * circle data. The status message never names what to change.
 */
import { CHALLENGE } from "./settings.js";

/**
 * Returns the challenge status for the runs' `histories` (one per network
 * configuration): { state, message }, where state is "off" (not in challenge
 * mode), "wrongData" (the data set is not the challenge's), "pending" or
 * "reached".
 */
export function evaluateChallenge(shared, histories, target = CHALLENGE.targetTestLoss) {
  if (!shared.challenge) return { state: "off", message: "" };
  const goal = `Challenge: bring the test loss below ${target} on the circle data.`;
  if (shared.problem !== "classification" || shared.dataset !== CHALLENGE.shared.dataset) {
    return {
      state: "wrongData",
      message: `${goal} Switch back to the circle data set to take part.`,
    };
  }
  for (const [runIndex, history] of histories.entries()) {
    const record = history.find((item) => item.testLoss < target);
    if (record) {
      const runName = histories.length > 1 ? ` (network ${"AB"[runIndex]})` : "";
      return {
        state: "reached",
        epoch: record.epoch,
        message:
          `${goal} Reached at epoch ${record.epoch}${runName}: ` +
          `test loss ${record.testLoss.toFixed(4)}. Well done!`,
      };
    }
  }
  const losses = histories
    .flatMap((history) => history.map((item) => item.testLoss))
    .filter(Number.isFinite);
  let message = `${goal} Not reached yet.`;
  if (losses.length > 0) {
    message += ` The lowest test loss so far is ${Math.min(...losses).toFixed(3)}.`;
  }
  return { state: "pending", message };
}
