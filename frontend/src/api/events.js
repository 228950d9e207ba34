// Event and message type names used on the WebSockets, defined once for the
// whole frontend. They match the `type` fields of the server's event models.

// Shared by every lesson played by the server's step player.
export const EVENT = Object.freeze({
  STATE: "state",
  ERROR: "error",
  DONE: "done",
  DATASET: "dataset",
  STEP: "step",
});

export const CONTROL = Object.freeze({
  START: "start",
  PAUSE: "pause",
  RESUME: "resume",
  STEP: "step",
  PREV: "prev",
  SEEK: "seek",
  SPEED: "speed",
  STOP: "stop",
});

// /ws/gradient-descent
export const GRADIENT_DESCENT_EVENT = Object.freeze({
  SETUP: "setup",
  FRAME: "frame",
  NETWORK: "network",
});

export const GRADIENT_DESCENT_CONTROL = Object.freeze({
  PREVIEW: "preview",
});

// /ws/backprop
export const BACKPROP_EVENT = Object.freeze({
  GRAPH: "graph",
  FORWARD: "forward",
  BACKWARD: "backward",
  UPDATE: "update",
});

export const BACKPROP_CONTROL = Object.freeze({
  NEXT: "next",
  RESET: "reset",
  AUTO: "auto",
});

// /ws/gan/runs/{id}
export const GAN_EVENT = Object.freeze({
  STATUS: "status",
  EPOCH: "epoch",
  PROGRESS: "progress",
});
