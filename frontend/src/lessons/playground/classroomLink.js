/**
 * The teacher's link builder: tick the controls to hide, copy the link.
 * The link carries the current settings and seed plus the hidden list.
 */
import { HIDEABLE_CONTROLS, formatHash, getSetting } from "./settings.js";

const EXTRA_LABELS = {
  regenerate: "Regenerate button",
  resetButton: "Reset button",
  stepButton: "Step button",
  editData: "Adding, importing and exporting points",
  exports: "Export buttons",
  classroomLink: "This classroom link section",
};

function labelFor(name) {
  return EXTRA_LABELS[name] ?? getSetting(name).label;
}

/**
 * Creates the builder in `container` (a <details> element). `getState()`
 * returns the page's current state. Returns { refresh(), setHidden(hidden) };
 * call refresh after the state changed, the first time once it exists.
 */
export function createClassroomLink(container, getState) {
  container.innerHTML = `
    <summary>Classroom link</summary>
    <p class="hint">Tick the controls your students should not see. The link keeps the
    current settings and seed, so every student starts from the same data and weights.</p>
    <fieldset class="pg-hide-list"><legend>Hide</legend></fieldset>
    <label class="field"><span class="field-label">Link</span>
      <input type="text" readonly name="classroomLink" /></label>
    <div class="button-row"><button type="button" data-action="copy-link">Copy link</button>
      <span class="hint" data-role="copy-status" aria-live="polite"></span></div>`;
  const list = container.querySelector(".pg-hide-list");
  const output = container.querySelector('input[name="classroomLink"]');
  const status = container.querySelector('[data-role="copy-status"]');
  const boxes = HIDEABLE_CONTROLS.map((name) => {
    const label = document.createElement("label");
    label.className = "pg-hide-option";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = name;
    box.addEventListener("change", refresh);
    label.append(box, ` ${labelFor(name)}`);
    list.append(label);
    return box;
  });

  function refresh() {
    const state = getState();
    const hidden = boxes.filter((box) => box.checked).map((box) => box.value);
    const url = new URL(window.location.href);
    url.hash = formatHash({ ...state, hidden }).slice(1);
    output.value = url.toString();
    status.textContent = "";
  }

  container.querySelector('[data-action="copy-link"]').addEventListener("click", async () => {
    output.select();
    try {
      await navigator.clipboard.writeText(output.value);
      status.textContent = "Copied.";
    } catch {
      // The clipboard API needs a secure context (https or localhost).
      status.textContent = "Copying is blocked here; the link is selected, press Ctrl+C.";
    }
  });

  /** Ticks exactly the controls in `hidden`, as read from the page's link. */
  function setHidden(hidden) {
    for (const box of boxes) box.checked = hidden.includes(box.value);
    refresh();
  }

  return { refresh, setHidden };
}
