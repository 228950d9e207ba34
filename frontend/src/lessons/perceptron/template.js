export const TEMPLATE = `
<section class="perceptron">
  <h1>The perceptron</h1>
  <p class="lead">One artificial neuron with a hard threshold. It looks at one point at a
  time and nudges its weights only when it gets that point wrong. Watch the coloured
  regions: they are the neuron's current answer for every place in the plane.</p>

  <div class="button-row presets" aria-label="Examples">
    <button type="button" data-preset="linear">Example 1: two clouds</button>
    <button type="button" data-preset="xor">Example 2: XOR</button>
    <button type="button" data-preset="xor-feature">Example 3: XOR with x1·x2</button>
  </div>

  <div class="lesson-grid">
    <aside class="panel">
      <h2>Settings</h2>
      <form class="settings" autocomplete="off"></form>
      <label class="field field-number" title="Animation speed in steps per second">
        <span class="field-label">Speed (steps per second)</span>
        <input type="range" name="speed" min="0" max="1000" value="500" />
        <output class="speed-output"></output>
      </label>
      <div class="button-row">
        <button type="button" class="primary" data-action="run">Run</button>
        <button type="button" data-action="pause" disabled>Pause</button>
        <button type="button" data-action="step">Step</button>
        <button type="button" data-action="reset" disabled>Reset</button>
      </div>
      <p class="hint">Keys: space plays or pauses, the right arrow steps.</p>
      <p class="connection hint" aria-live="polite"></p>
    </aside>

    <div class="lesson-main">
      <div class="panel">
        <dl class="stats">
          <div><dt>Epoch</dt><dd data-stat="epoch">0</dd></div>
          <div><dt>Step</dt><dd data-stat="step">0</dd></div>
          <div><dt>Mistakes this epoch</dt><dd data-stat="mistakes">0</dd></div>
          <div><dt>Training accuracy</dt><dd data-stat="accuracy">-</dd></div>
          <div><dt>Status</dt><dd data-stat="status">ready</dd></div>
        </dl>
        <p class="message" data-role="message" aria-live="polite"></p>
        <div class="region-wrap">
          <canvas class="regions" aria-label="Decision regions and training points"></canvas>
        </div>
        <div class="legend">
          <span><span class="legend-swatch" style="background:#2c7bb6;border-radius:50%"></span>class 0 (circles)</span>
          <span><span class="legend-swatch" style="background:#e66101;clip-path:polygon(50% 0,100% 100%,0 100%)"></span>class 1 (triangles)</span>
          <span>shaded area: where the neuron answers that class</span>
          <span>ring: the point being presented</span>
        </div>
      </div>

      <div class="panel">
        <h2>Weights</h2>
        <p class="formula"><code data-role="formula"></code></p>
        <table class="weights-table"><thead><tr></tr></thead><tbody><tr></tr></tbody></table>
        <div class="weights-chart"></div>
      </div>

      <div class="panel explanation">
        <h2>What is happening</h2>
        <p>The neuron adds up its inputs, each times a weight, and answers 1 when the sum is
        above zero and 0 otherwise. The line (or curve) where the sum is exactly zero is the
        border between the two shaded areas.</p>
        <p>Learning is one rule: after each point, add <em>learning rate × (true class −
        answer) × input</em> to the weights. A right answer makes the bracket zero, so nothing
        moves. A wrong answer pushes the border towards the point so that it lands on the
        correct side. When a whole pass over the data (an epoch) brings no change, every point
        is classified correctly and training stops.</p>
        <p>In XOR, the points of one class sit in opposite corners. A single straight border
        always leaves at least one corner on the wrong side, so the rule keeps correcting
        itself forever. Adding the product x1·x2 as a third input fixes this: it is positive
        in two corners and negative in the other two, so in the bigger input space a flat
        border separates the classes, and in the plane that border shows up as a curve.</p>
      </div>
    </div>
  </div>
</section>`;
