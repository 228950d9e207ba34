export const TEMPLATE = `
<section class="backprop">
  <h1>Backpropagation on a computational graph</h1>
  <p class="lead">Every number in a small network is a node of a graph. The forward pass
  fills in the values from the inputs to the loss. The backward pass then fills in each
  node's gradient, the rate at which the loss L changes when that node changes, starting
  at the loss and working back towards the weights.</p>

  <div class="panel graph-panel">
    <div class="button-row controls">
      <button type="button" data-action="prev" title="Go back one step (left arrow)">◀ Previous</button>
      <button type="button" class="primary" data-action="next" title="Compute the next node (right arrow)">Next ▶</button>
      <button type="button" data-action="auto">Auto</button>
      <button type="button" data-action="reset">Reset</button>
      <label class="speed" title="Steps per second while Auto plays">
        Speed <input type="range" name="speed" min="0.5" max="10" step="0.5" value="2" />
        <output class="speed-output">2</output> steps/s
      </label>
      <span class="step-counter" data-role="counter"></span>
    </div>
    <p class="log-line" data-role="log" aria-live="polite"></p>
    <div class="graph-scroll">
      <svg class="graph" role="img" aria-label="Computational graph with a card per value"></svg>
    </div>
    <div class="legend">
      <span><span class="legend-swatch swatch-trainable"></span>★ trainable: moved by the update step</span>
      <span><span class="legend-swatch swatch-data"></span>input or target: fixed data</span>
      <span><span class="legend-swatch swatch-current"></span>the node computed in this step</span>
      <span><span class="legend-line loss-part"></span>edges of the loss, where the prediction meets the target</span>
      <span>? : not computed yet</span>
    </div>
    <p class="connection hint" aria-live="polite"></p>
  </div>

  <div class="backprop-grid">
    <div class="panel">
      <h2>Expression and leaves</h2>
      <form class="editor" autocomplete="off">
        <label class="field">
          <span class="field-label">Statements, one per line; the last one is the loss</span>
          <textarea name="expression" rows="4" spellcheck="false"></textarea>
        </label>
        <p class="message error" data-role="editor-error"></p>
        <pre class="pointer" data-role="editor-pointer"></pre>
        <p class="message warning link-notice" data-role="link-notice" aria-live="polite"></p>
        <table class="leaves">
          <thead><tr><th>Leaf</th><th>Value</th><th>Role</th></tr></thead>
          <tbody></tbody>
        </table>
        <label class="field">
          <span class="field-label">Learning rate of the update step (empty: no update)</span>
          <input type="number" name="learning_rate" step="any" min="0.000001" max="10" />
        </label>
        <div class="button-row">
          <button type="submit" class="primary">Build graph</button>
          <button type="button" data-action="default">Default example</button>
        </div>
        <p class="hint">Operators: + - * / and ^ with a constant exponent, such as x^2 or
        x^(-1). Functions: relu(x), sigmoid(x), tanh(x) and squared_error(y_hat, y).
        The page address stores the expression and leaves, so a copied link rebuilds
        this graph.</p>
      </form>
    </div>

    <div class="panel">
      <h2>Gradients of the trainable leaves</h2>
      <ul class="gradients" data-role="gradients"></ul>
      <h2>Update step</h2>
      <div class="update" data-role="update"></div>
    </div>

    <div class="panel explanation">
      <h2>Why the backward pass reuses the forward values</h2>
      <p>Each operation only needs to know its own slope, the local derivative of its
      output with respect to one input. For a product that slope is the other factor, for
      a square it is twice the base, and for ReLU it is 1 or 0 depending on whether the
      input was positive. All of these are numbers that the forward pass has already
      computed, so the backward pass looks them up instead of computing them again.</p>
      <p>The chain rule then turns the whole graph into one multiplication per edge:
      a node's gradient is the gradient of the node it feeds, times the local derivative
      of that edge. A node that feeds several others, like a shared hidden value or the
      a in a + a, adds up one such product per use.</p>
      <p>That is why the steps run in reverse topological order: a node's gradient is
      finished only after every node that uses it has passed its share back. Visiting
      each node once gives every gradient for about the cost of one more forward pass,
      however many weights there are.</p>
    </div>
  </div>
</section>
`;
