import { describe, expect, it } from "vitest";
import { describeRequestError, describeSocketError } from "./errors.js";

describe("describeSocketError", () => {
  it("names a rejected parameter without the params prefix", () => {
    const event = {
      type: "error",
      message: "Invalid message. params.epochs: must be from 1 to 1000, got 5000",
      errors: [{ field: "params.epochs", message: "must be from 1 to 1000, got 5000", input: 5000 }],
    };
    expect(describeSocketError(event)).toBe("Could not start: epochs must be from 1 to 1000, got 5000.");
  });

  it("uses the form's label when given", () => {
    const event = {
      errors: [{ field: "params.learning_rate", message: "must be from 0.0001 to 1, got 5" }],
    };
    expect(describeSocketError(event, { labels: { learning_rate: "Learning rate" } })).toBe(
      "Could not start: Learning rate must be from 0.0001 to 1, got 5.",
    );
  });

  it("joins several errors", () => {
    const event = {
      errors: [
        { field: "params.epochs", message: "must be from 1 to 1000, got 0" },
        { field: "params.seed", message: "must be from 0 to 2147483647, got -1" },
      ],
    };
    expect(describeSocketError(event)).toBe(
      "Could not start: epochs must be from 1 to 1000, got 0; seed must be from 0 to 2147483647, got -1.",
    );
  });

  it("falls back to the message when no field is named", () => {
    expect(describeSocketError({ message: "Message is not valid JSON." })).toBe("Message is not valid JSON.");
  });
});

describe("describeRequestError", () => {
  const body = {
    message: "Invalid request. batches_per_epoch: must be from 1 to 10000, got 999999",
    errors: [{ field: "batches_per_epoch", message: "must be from 1 to 10000, got 999999", input: 999999 }],
  };

  it("names the field by its form label", () => {
    expect(describeRequestError(body, { labels: { batches_per_epoch: "Batches per epoch" }, action: "Could not start the run" })).toBe(
      "Could not start the run: Batches per epoch must be from 1 to 10000, got 999999.",
    );
  });

  it("falls back to the message without an errors list", () => {
    expect(describeRequestError({ message: "Invalid request." })).toBe("Invalid request.");
  });
});
