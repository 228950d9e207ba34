// Event and control names of the backpropagation WebSocket, on top of the
// shared ones in api/events.js. They match the server's `type` fields.
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
