export const TEMPLATE = `
<section class="gradient-descent">
  <h1>Gradient descent</h1>
  <p class="lead">A small network with two hidden layers of ReLU units learns the curve
  y = x + 0.5x² from 1,280 noisy points. After every epoch (one pass over the data in
  mini-batches of 32) you see the model's curve, its loss and its weights. Change the
  learning rate to see what goes wrong when the steps are too small or too large.</p>

  <div class="button-row presets" aria-label="Examples">
    <button type="button" data-preset-rate="0.003">Example 1: a good rate (0.003)</button>
    <button type="button" data-preset-rate="1e-7">Example 2: too small (1e-7)</button>
    <button type="button" data-preset-rate="10">Example 3: too large (10)</button>
  </div>

  <div class="lesson-grid">
    <aside class="panel">
      <h2>Settings</h2>
      <form class="settings" autocomplete="off"></form>
      <label class="field field-number" title="Frames shown per second while playing">
        <span class="field-label">Speed (frames per second)</span>
        <input type="range" name="speed" min="0" max="1000" value="500" />
        <output class="speed-output"></output>
      </label>
      <div class="button-row">
        <button type="button" class="primary" data-action="run">Run</button>
      </div>
      <p class="hint">Keys: space plays or pauses, the arrow keys go one frame back or forward.</p>
      <p class="connection hint" aria-live="polite"></p>
    </aside>

    <div class="lesson-main">
      <div class="panel">
        <dl class="stats">
          <div><dt>Epoch</dt><dd data-stat="epoch">0</dd></div>
          <div><dt>Update</dt><dd data-stat="step">0</dd></div>
          <div><dt>Loss (all points)</dt><dd data-stat="loss">-</dd></div>
          <div><dt>Mean batch loss this epoch</dt><dd data-stat="running-loss">-</dd></div>
          <div><dt>Status</dt><dd data-stat="status">ready</dd></div>
        </dl>
        <div class="timeline">
          <button type="button" data-action="prev" aria-label="Previous frame" title="Previous frame">&#9664;</button>
          <button type="button" data-action="play" class="play">Play</button>
          <button type="button" data-action="next" aria-label="Next frame" title="Next frame">&#9654;</button>
          <input type="range" name="frame" min="0" max="0" value="0" aria-label="Frame" disabled />
          <span class="frame-label" data-stat="frame">no frames yet</span>
        </div>
        <div class="message-row">
          <p class="message" data-role="message" aria-live="polite"></p>
          <button type="button" data-action="try-suggestion" hidden></button>
        </div>
      </div>

      <div class="gd-plots">
        <div class="panel">
          <h2>Data and model</h2>
          <div class="curve-wrap"><canvas class="curves" aria-label="Data points, target curve and model curves"></canvas></div>
          <div class="legend">
            <span><span class="legend-swatch" style="background:#2c7bb6"></span>data points</span>
            <span><span class="legend-swatch legend-dashed"></span>y = x + 0.5x²</span>
            <span><span class="legend-swatch" style="background:#e66101"></span>model now</span>
            <span><span class="legend-swatch" style="background:rgba(230,97,1,0.3)"></span>earlier frames, fading</span>
          </div>
        </div>
        <div class="panel">
          <h2>Loss</h2>
          <div class="loss-chart"></div>
          <label class="log-toggle"><input type="checkbox" name="log-scale" /> log scale</label>
        </div>
      </div>

      <div class="panel">
        <h2>The network</h2>
        <div class="network-wrap"><canvas class="network" aria-label="Network drawing with one line per weight"></canvas></div>
        <div class="legend">
          <span><span class="legend-swatch" style="background:#e66101"></span>positive weight</span>
          <span><span class="legend-swatch" style="background:#2c7bb6"></span>negative weight</span>
          <span>thicker line: larger weight</span>
          <span>node colour: the unit's bias</span>
          <span>grey dashes: weight no longer a number</span>
        </div>
        <table class="norms-table">
          <thead><tr><th>Gradient norm</th></tr></thead>
          <tbody><tr><th>this frame</th></tr></tbody>
        </table>
      </div>

      <div class="panel explanation">
        <h2>What the plots show</h2>
        <p><strong>Data and model.</strong> The blue dots are the training points: the
        dashed curve plus a little noise. The thick orange line is what the network answers
        for each x at the chosen frame; the thin lines behind it are the answers of the
        frames before, fading with age, so you can see the curve being bent into shape.</p>
        <p><strong>Loss.</strong> The mean of the squared gap between the network's answer
        and each point. The solid line is measured on all 1,280 points at the end of each
        epoch; the dashed one averages the mini-batches during the epoch, while the weights
        were still moving. If the run blows up, the chart switches to a log scale, because
        the values grow by hundreds of orders of magnitude, and it adds one point per update
        of the last epoch, so its x axis then counts updates instead of epochs.</p>
        <p><strong>The network.</strong> One line per weight, orange for positive and blue
        for negative, thicker for larger values. The gradient norms below it say how steep
        the loss is with respect to each layer's weights: the size of the push each update
        gives that layer.</p>
        <h2>Why the learning rate matters</h2>
        <p>Each update moves every weight a small distance downhill: the learning rate
        times the slope of the loss. <strong>Too small</strong> and each move is tiny: the
        direction is right, but after all the epochs the curve has hardly changed, and the
        loss is still near where it started. <strong>Too large</strong> and a move jumps
        past the bottom of the valley to the far side, where the slope is even steeper, so
        the next jump is longer still. The loss then grows at every step until it overflows
        and the run has to stop. Rates just below that point fail more quietly: a large
        early jump can shut every ReLU unit off for all inputs, leaving a flat line that
        no later update can repair. With only one or two units per layer, that can also
        happen at a good rate, or from the very first update. A good rate sits between the two: large enough to
        arrive within the epochs you have, small enough that each step still goes
        downhill.</p>
      </div>
    </div>
  </div>
</section>`;
