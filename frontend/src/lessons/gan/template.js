export const TEMPLATE = `
<section class="gan">
  <h1>A GAN learns to draw clothes</h1>
  <p class="lead">Two networks train against each other on 60,000 small grey photos of
  clothes (Fashion-MNIST). The generator turns random numbers into images; the
  discriminator tries to tell its images from real photos. The training runs on the
  server, and everyone who opens this page watches the same run live.</p>

  <div class="lesson-grid">
    <aside class="panel-stack">
      <div class="panel teacher">
        <h2>Teacher</h2>
        <form class="token-form" autocomplete="off">
          <label class="field">
            <span class="field-label">Teacher token</span>
            <input type="password" name="teacher-token" autocomplete="off"
              placeholder="printed by the server at start-up" />
          </label>
          <div class="button-row">
            <button type="submit">Save token</button>
            <button type="button" data-action="forget-token">Forget</button>
          </div>
          <p class="hint token-state" aria-live="polite"></p>
        </form>
        <details class="run-settings">
          <summary>Settings of a new run</summary>
          <form class="settings" autocomplete="off"></form>
        </details>
        <div class="button-row">
          <button type="button" class="primary" data-action="start">Start a run</button>
          <button type="button" data-action="stop" disabled>Stop</button>
          <button type="button" data-action="resume" disabled>Resume</button>
        </div>
        <div class="confirm-start message warning" role="alertdialog"
          aria-labelledby="gan-confirm-start-text" hidden>
          <p id="gan-confirm-start-text" data-role="confirm-start-text"></p>
          <div class="button-row">
            <button type="button" data-action="confirm-start">Queue another run</button>
            <button type="button" data-action="cancel-start">Cancel</button>
          </div>
        </div>
        <p class="message" data-role="teacher-message" aria-live="polite"></p>
      </div>

      <div class="panel runs">
        <h2>Runs</h2>
        <p class="hint">Pages without a chosen run follow the run that is training now,
        so a run you open here reaches the class only when it is the one training.</p>
        <ol class="run-list"></ol>
        <div class="button-row">
          <button type="button" data-action="toggle-runs" hidden>Show all runs</button>
          <button type="button" data-action="follow" hidden>Follow the training run</button>
        </div>
      </div>
    </aside>

    <div class="lesson-main">
      <div class="panel">
        <dl class="stats">
          <div><dt>Run</dt><dd data-stat="run">-</dd></div>
          <div><dt>Status</dt><dd data-stat="status">-</dd></div>
          <div><dt>Epoch</dt><dd data-stat="epoch">-</dd></div>
          <div><dt>Batch</dt><dd data-stat="batch">-</dd></div>
          <div><dt>Time per epoch</dt><dd data-stat="epoch-time">-</dd></div>
          <div><dt>Time left</dt><dd data-stat="eta">-</dd></div>
          <div><dt>Device</dt><dd data-stat="device">-</dd></div>
        </dl>
        <div class="progress-bar" role="progressbar" aria-label="Run progress"
          aria-valuemin="0" aria-valuemax="100" aria-valuenow="0">
          <div class="progress-fill"></div>
        </div>
        <p class="message" data-role="run-message" aria-live="polite"></p>
        <p class="connection hint" aria-live="polite"></p>
      </div>

      <div class="gan-views">
        <div class="panel samples">
          <h2>What the generator draws</h2>
          <div class="sample-frame">
            <img class="sample-grid" alt="" hidden />
            <p class="sample-empty hint"></p>
          </div>
          <label class="field epoch-slider">
            <span class="field-label">Epoch <output data-role="shown-epoch">-</output></span>
            <input type="range" name="epoch" aria-label="Epoch" min="1" max="1" value="1" step="1"
              disabled />
          </label>
          <p class="hint">The same 64 random inputs are drawn after every epoch, so each
          square shows how one image changed. Move the slider to go back in time.</p>
        </div>

        <div class="panel losses">
          <h2>Losses</h2>
          <div class="loss-chart" hidden></div>
          <p class="loss-empty hint"></p>
          <p class="hint" data-role="loss-hint"></p>
        </div>
      </div>

      <div class="panel architecture">
        <h2>The two networks</h2>
        <div class="architecture-tables"></div>
        <p class="architecture-total"></p>
      </div>

      <div class="panel explanation">
        <h2>What the class is watching</h2>
        <p>The generator never sees a real photo. It starts with random weights, so its
        first drawings are grey fog. Each training step it draws a batch of
        images<span data-role="batch-size"></span> from random numbers and is told how the
        discriminator judged them. It changes its weights so
        that the discriminator would have been more convinced: the generator loss is small
        when the discriminator calls its images real.</p>
        <p>The discriminator gets a batch of real photos and the batch of fakes in every
        step, and learns to say "real" or "fake". Its loss adds up its mistakes on both. Both networks learn
        from the same step, so each one chases a target that keeps moving.</p>
        <p>Because of that tug of war, the losses do not fall steadily as in the other
        lessons. If the discriminator could not tell the two apart at all, it would answer
        50 % for everything: its loss would be 2 · ln 2 ≈ 1.39 and the generator's ln 2 ≈ 0.69.
        A discriminator loss near zero means it wins easily, and the generator is not
        learning much. The pictures tell more than the curves: watch outlines appear first,
        then shoes, trousers and shirts, then textures.</p>
        <p>If a learning rate is far too large, the numbers can overflow. The run then
        stops with the reason shown above.</p>
      </div>
    </div>
  </div>
</section>`;
