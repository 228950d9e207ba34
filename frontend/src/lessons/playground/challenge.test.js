import { describe, expect, it } from "vitest";
import { evaluateChallenge } from "./challenge.js";

const SHARED = { challenge: true, problem: "classification", dataset: "circle" };

function history(...testLosses) {
  return testLosses.map((testLoss, epoch) => ({ epoch, testLoss }));
}

describe("evaluateChallenge", () => {
  it("is silent outside challenge mode", () => {
    expect(evaluateChallenge({ ...SHARED, challenge: false }, [history(0.1)], 0.3).state).toBe("off");
  });

  it("reports no progress above the target", () => {
    const status = evaluateChallenge(SHARED, [history(0.5, 0.45)], 0.3);
    expect(status.state).toBe("pending");
    expect(status.message).toMatch(/Not reached yet/);
    expect(status.message).toMatch(/0\.450/);
  });

  it("reports the first epoch under the target", () => {
    const status = evaluateChallenge(SHARED, [history(0.5, 0.31, 0.29, 0.2)], 0.3);
    expect(status.state).toBe("reached");
    expect(status.epoch).toBe(2);
    expect(status.message).toMatch(/Reached at epoch 2: test loss 0\.2900/);
  });

  it("names the network that reached it in compare mode", () => {
    const status = evaluateChallenge(SHARED, [history(0.5), history(0.5, 0.1)], 0.3);
    expect(status.message).toMatch(/network B/);
  });

  it("asks for the circle data set", () => {
    const status = evaluateChallenge({ ...SHARED, dataset: "xor" }, [history(0.01)], 0.3);
    expect(status.state).toBe("wrongData");
  });

  it("never says what to change", () => {
    for (const losses of [[0.5], [0.5, 0.1]]) {
      const { message } = evaluateChallenge(SHARED, [history(...losses)], 0.3);
      expect(message).not.toMatch(/learning rate|hidden|feature|x₁|x1/i);
    }
  });
});
