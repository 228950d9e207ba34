// The expression editor: a text area, one row per leaf (value and role) and
// the learning rate. The leaf rows follow the expression: the server parses
// it and returns the names that need a value.

import { DEFAULT_LEAF } from "./hash.js";

const ROLES = ["input", "target", "trainable"];
const PARSE_DELAY_MS = 350;
const EMPTY_EXPRESSION_TEXT =
  "Type an expression first, for example loss = squared_error(x*w, y), or press Default example.";

/**
 * Returns why `source` cannot be sent, or "" when it can. The page checks an
 * empty expression itself, because the server rejects it with the wording of
 * its schema validator.
 */
export function expressionProblem(source) {
  return source.trim() === "" ? EMPTY_EXPRESSION_TEXT : "";
}

/**
 * Returns the text that points at `position` (a 0-based offset) in `source`:
 * the line it is on, and a caret under the offending character.
 */
export function pointAt(source, position) {
  const lineStart = source.lastIndexOf("\n", position - 1) + 1;
  const lineEnd = source.indexOf("\n", position);
  const line = source.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  return `${line}\n${" ".repeat(position - lineStart)}^`;
}

export function createEditor(form, { parse, onSubmit }) {
  const textarea = form.querySelector('textarea[name="expression"]');
  const rateInput = form.querySelector('input[name="learning_rate"]');
  const tableBody = form.querySelector("table.leaves tbody");
  const errorBox = form.querySelector('[data-role="editor-error"]');
  const pointer = form.querySelector('[data-role="editor-pointer"]');
  const noticeBox = form.querySelector('[data-role="link-notice"]');
  let parseTimer = null;
  let parseCount = 0;
  let isDestroyed = false;

  function readLeaves() {
    const result = {};
    for (const row of tableBody.querySelectorAll("tr")) {
      result[row.dataset.leaf] = {
        value: Number(row.querySelector('input[name="value"]').value),
        role: row.querySelector("select").value,
      };
    }
    return result;
  }

  function createRow(name, leaf) {
    const row = document.createElement("tr");
    row.dataset.leaf = name;
    const nameCell = document.createElement("th");
    nameCell.scope = "row";
    nameCell.textContent = name;
    const value = document.createElement("input");
    value.type = "number";
    value.step = "any";
    value.name = "value";
    value.required = true;
    value.value = String(leaf.value);
    value.setAttribute("aria-label", `Value of ${name}`);
    const role = document.createElement("select");
    role.setAttribute("aria-label", `Role of ${name}`);
    for (const option of ROLES) {
      role.append(new Option(option, option, false, option === leaf.role));
    }
    const valueCell = document.createElement("td");
    valueCell.append(value);
    const roleCell = document.createElement("td");
    roleCell.append(role);
    row.append(nameCell, valueCell, roleCell);
    return row;
  }

  /**
   * Makes the rows list exactly `names`, in order. A row whose name stays is
   * kept as it is, not rebuilt, so text being typed in it and its focus
   * survive. New names get a row with the default value and role.
   */
  function updateRows(names) {
    const rows = new Map([...tableBody.rows].map((row) => [row.dataset.leaf, row]));
    for (const [name, row] of rows) {
      if (!names.includes(name)) row.remove();
    }
    let previous = null;
    for (const name of names) {
      const row = rows.get(name) ?? createRow(name, DEFAULT_LEAF);
      const expected = previous ? previous.nextElementSibling : tableBody.firstElementChild;
      // Moving a row takes it out of the document for a moment, which would
      // drop the focus, so rows already in place stay untouched.
      if (row !== expected) tableBody.insertBefore(row, expected);
      previous = row;
    }
  }

  function showError(message, position = null) {
    errorBox.textContent = message;
    pointer.textContent = position == null ? "" : pointAt(textarea.value, position);
    textarea.setAttribute("aria-invalid", message ? "true" : "false");
  }

  async function refreshLeaves() {
    const requestNumber = ++parseCount;
    const problem = expressionProblem(textarea.value);
    if (problem) {
      showError(problem);
      return;
    }
    try {
      const result = await parse(textarea.value);
      if (isDestroyed || requestNumber !== parseCount) return;
      updateRows(result.leaves);
      showError("");
    } catch (error) {
      if (isDestroyed || requestNumber !== parseCount) return;
      const detail = error.body?.detail?.[0];
      showError(detail?.msg ?? error.message, detail?.ctx?.position ?? null);
    }
  }

  textarea.addEventListener("input", () => {
    clearTimeout(parseTimer);
    parseTimer = setTimeout(refreshLeaves, PARSE_DELAY_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const problem = expressionProblem(textarea.value);
    if (problem) {
      clearTimeout(parseTimer);
      showError(problem);
      return;
    }
    onSubmit(getParams());
  });

  function getParams() {
    const rateText = rateInput.value.trim();
    return {
      expression: textarea.value,
      leaves: readLeaves(),
      learningRate: rateText === "" ? null : Number(rateText),
    };
  }

  function setParams({ expression, leaves, learningRate }) {
    // A parse still running for the old text must not change the new rows.
    clearTimeout(parseTimer);
    parseCount += 1;
    textarea.value = expression;
    rateInput.value = learningRate == null ? "" : String(learningRate);
    tableBody.replaceChildren(
      ...Object.entries(leaves).map(([name, leaf]) => createRow(name, leaf)),
    );
    showError("");
  }

  /** Shows `lines` (a list of sentences) in the notice above the leaves, or hides it. */
  function showNotice(lines) {
    noticeBox.replaceChildren(
      ...lines.map((line) => Object.assign(document.createElement("span"), { textContent: line })),
    );
  }

  function destroy() {
    isDestroyed = true;
    clearTimeout(parseTimer);
  }

  return { getParams, setParams, showError, showNotice, destroy };
}
