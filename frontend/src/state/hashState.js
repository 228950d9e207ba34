import { parseFieldValue } from "./schemaFields.js";

/**
 * Reads the values of `fields` from a URL hash such as "#dataset=xor&seed=3".
 * Unknown keys and invalid values are ignored, so an old or edited link still
 * opens with defaults for what it cannot read.
 */
export function readHashValues(fields, hash = window.location.hash) {
  const entries = new URLSearchParams(hash.replace(/^#/, ""));
  const values = {};
  for (const field of fields) {
    if (!entries.has(field.name)) continue;
    const value = parseFieldValue(field, entries.get(field.name));
    if (value !== undefined) values[field.name] = value;
  }
  return values;
}

/** Returns the names of `fields` whose value in the hash is present but invalid. */
export function findInvalidHashKeys(fields, hash = window.location.hash) {
  const entries = new URLSearchParams(hash.replace(/^#/, ""));
  return fields
    .filter((field) => entries.has(field.name))
    .filter((field) => parseFieldValue(field, entries.get(field.name)) === undefined)
    .map((field) => field.name);
}

/** Returns the hash text ("#a=1&b=2") that stores `values`; nulls are left out. */
export function encodeHash(values) {
  const entries = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== null && value !== undefined) entries.set(name, String(value));
  }
  const text = entries.toString();
  return text ? `#${text}` : "";
}

/** Replaces the page's hash without adding a history entry. */
export function writeHashValues(values) {
  const hash = encodeHash(values);
  const url = `${window.location.pathname}${window.location.search}${hash}`;
  window.history.replaceState(window.history.state, "", url);
}
