// The expression editor: a text area, one row per leaf (value and role) and
// the learning rate. The leaf rows follow the expression: the server parses
// it and returns the names that need a value.

const ROLES = ["input", "target", "trainable"];
const PARSE_DELAY_MS = 350;
const NEW_LEAF = { value: 1, role: "input" };

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

/** Keeps the value and role of names still used, and adds new names with defaults. */
export function syncLeaves(names, current) {
  return Object.fromEntries(names.map((name) => [name, current[name] ?? { ...NEW_LEAF }]));
}

export function createEditor(form, { parse, onSubmit }) {
  const textarea = form.querySelector('textarea[name="expression"]');
  const rateInput = form.querySelector('input[name="learning_rate"]');
  const tableBody = form.querySelector("table.leaves tbody");
  const errorBox = form.querySelector('[data-role="editor-error"]');
  const pointer = form.querySelector('[data-role="editor-pointer"]');
  let leaves = {};
  let parseTimer = null;
  let parseCount = 0;

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

  function renderLeaves() {
    tableBody.replaceChildren(
      ...Object.entries(leaves).map(([name, leaf]) => {
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
      }),
    );
  }

  function showError(message, position = null) {
    errorBox.textContent = message;
    pointer.textContent = position == null ? "" : pointAt(textarea.value, position);
    textarea.setAttribute("aria-invalid", message ? "true" : "false");
  }

  async function refreshLeaves() {
    const requestNumber = ++parseCount;
    try {
      const result = await parse(textarea.value);
      if (requestNumber !== parseCount) return;
      leaves = syncLeaves(result.leaves, readLeaves());
      renderLeaves();
      showError("");
    } catch (error) {
      if (requestNumber !== parseCount) return;
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

  function setParams({ expression, leaves: newLeaves, learningRate }) {
    textarea.value = expression;
    leaves = { ...newLeaves };
    rateInput.value = learningRate == null ? "" : String(learningRate);
    renderLeaves();
    showError("");
  }

  return {
    getParams,
    setParams,
    showError,
    destroy: () => clearTimeout(parseTimer),
  };
}
