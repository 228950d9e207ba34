// Turns the server's `error` events into sentences for students.

/**
 * Describes an `error` event in plain words. For a rejected parameter it
 * names the field the way the form labels it: "Could not start: epochs must
 * be from 1 to 1000, got 5000." `labels` maps field names to form labels.
 */
export function describeSocketError(event, { labels = {}, action = "Could not start" } = {}) {
  const errors = event?.errors ?? [];
  if (errors.length === 0) return event?.message ?? "The server reported an error.";
  const parts = errors.map((error) => {
    const name = (error.field ?? "").replace(/^params\./, "");
    const label = labels[name] ?? name.replaceAll("_", " ");
    return label ? `${label} ${error.message}` : error.message;
  });
  return `${action}: ${parts.join("; ")}.`;
}

/** Describes an HTTP 422 body, whose `errors` list has the shape of an error event's, as describeSocketError does. */
export function describeRequestError(body, options) {
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  return describeSocketError({ message: body?.message, errors }, options);
}
