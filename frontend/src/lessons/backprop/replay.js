import { BACKPROP_EVENT } from "../../api/events.js";

/**
 * Rebuilds what the page shows after the steps 0..cursor of a stream.
 *
 * `graph` is the graph event and `steps` maps a step number to its event.
 * Leaves know their value from the start. Every other value, and every
 * gradient, stays null ("?") until the step that computes it.
 */
export function viewAt(graph, steps, cursor) {
  const values = new Map();
  const grads = new Map();
  for (const node of graph.nodes) {
    values.set(node.id, node.value ?? null);
    grads.set(node.id, null);
  }
  let update = null;
  for (let step = 0; step <= cursor; step += 1) {
    const event = steps.get(step);
    if (!event) continue;
    if (event.type === BACKPROP_EVENT.FORWARD) values.set(event.node, event.value);
    if (event.type === BACKPROP_EVENT.BACKWARD) grads.set(event.node, event.grad);
    if (event.type === BACKPROP_EVENT.UPDATE) update = event;
  }
  const current = cursor >= 0 ? steps.get(cursor) ?? null : null;
  return { values, grads, current, update, phase: phaseOf(current, cursor, graph) };
}

function phaseOf(current, cursor, graph) {
  if (cursor < 0 || !current) return "ready";
  if (cursor === graph.num_steps - 1) return "done";
  return current.type;
}

/**
 * True when the current step uses `edge`: a forward step reads the edges into
 * its node, and a backward step the edges from its node to each consumer.
 */
export function isEdgeActive(edge, current) {
  if (!current) return false;
  if (current.type === BACKPROP_EVENT.FORWARD) return edge.target === current.node;
  if (current.type !== BACKPROP_EVENT.BACKWARD || edge.source !== current.node) {
    return false;
  }
  return current.terms.some(
    (term) => term.consumer === edge.target && term.input_index === edge.input_index,
  );
}
