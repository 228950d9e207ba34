// Event and message type names used on the WebSockets, defined once for the
// whole frontend. They match the `type` fields of the server's event models.
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
