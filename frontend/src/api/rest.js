/** An HTTP error from the API, with the server's explanation. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

/**
 * Turns an error body into one readable line. 422 bodies carry `message`
 * (all fields at once); other errors carry `detail` as text or an object.
 */
export function describeErrorBody(status, body) {
  if (body && typeof body.message === "string") return body.message;
  const detail = body?.detail;
  if (typeof detail === "string") return detail;
  if (detail && typeof detail.message === "string") return detail.message;
  if (Array.isArray(detail)) {
    return detail
      .map((item) => `${(item.loc ?? []).slice(1).join(".")}: ${item.msg}`)
      .join("; ");
  }
  return `Request failed with HTTP ${status}.`;
}

/**
 * Sends a request to the API and returns the decoded JSON body.
 * Throws ApiError with the server's message when the status is not 2xx.
 */
export async function requestJson(path, { method = "GET", body, token, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  let decoded = null;
  try {
    decoded = text ? JSON.parse(text) : null;
  } catch {
    decoded = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, describeErrorBody(response.status, decoded), decoded);
  }
  return decoded;
}

export const getJson = (path, options) => requestJson(path, options);
export const postJson = (path, body, options = {}) =>
  requestJson(path, { ...options, method: "POST", body });
