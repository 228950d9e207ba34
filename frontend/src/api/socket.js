import { EVENT } from "./events.js";

/** Returns the ws:// or wss:// URL of `path` on the server that served the page. */
export function socketUrl(path) {
  const protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${protocol}//${window.location.host}${path}`;
}

/**
 * A JSON WebSocket with handlers per event `type`.
 *
 * Messages sent before the socket opens are queued. `on(type, handler)`
 * registers a handler; the type "*" receives every event. `onStatus` hears
 * "connecting", "open" and "closed" so a page can show the connection state.
 */
export class LessonSocket {
  constructor(path, { onStatus } = {}) {
    this.path = path;
    this.handlers = new Map();
    this.pending = [];
    this.onStatus = onStatus ?? (() => {});
    this.closedByClient = false;
    this.connect();
  }

  connect() {
    this.onStatus("connecting");
    this.socket = new WebSocket(socketUrl(this.path));
    this.socket.addEventListener("open", () => {
      this.onStatus("open");
      for (const text of this.pending.splice(0)) this.socket.send(text);
    });
    this.socket.addEventListener("message", (message) => this.dispatch(message.data));
    this.socket.addEventListener("close", () => {
      if (!this.closedByClient) this.onStatus("closed");
    });
  }

  dispatch(text) {
    let event;
    try {
      event = JSON.parse(text);
    } catch (error) {
      console.error("Server sent a message that is not JSON", error);
      return;
    }
    for (const handler of this.handlers.get(event.type) ?? []) handler(event);
    for (const handler of this.handlers.get("*") ?? []) handler(event);
    if (event.type === EVENT.ERROR && !this.handlers.has(EVENT.ERROR)) {
      console.warn("Server error event:", event.message);
    }
  }

  on(type, handler) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(handler);
    return this;
  }

  send(type, payload = {}) {
    const text = JSON.stringify({ type, ...payload });
    if (this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(text);
    } else if (this.socket.readyState === WebSocket.CONNECTING) {
      this.pending.push(text);
    } else {
      // The connection dropped (server restart, sleep): open a new one.
      this.pending.push(text);
      this.connect();
    }
  }

  close() {
    this.closedByClient = true;
    // The page that listened is gone; its status line must not be updated.
    this.onStatus = () => {};
    this.handlers.clear();
    this.socket.close();
  }
}
