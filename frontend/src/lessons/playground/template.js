export const TEMPLATE = `
<section class="playground">
  <h1>Feature learning</h1>
  <p class="lead">A small network learns to separate or fit points in the plane, right here
  in your browser. Each square shows what one neuron answers at every place in the plane:
  watch the first layer draw simple borders and later layers combine them.</p>

  <div class="panel pg-toolbar">
    <div class="button-row pg-transport">
      <button type="button" data-action="reset" data-control="resetButton"
        title="New initial weights from the seed, epoch 0">Reset</button>
      <button type="button" class="primary" data-action="play" aria-pressed="false">Play</button>
      <button type="button" data-action="step" data-control="stepButton"
        title="Train one epoch">Step</button>
    </div>
    <dl class="stats pg-epoch"><div><dt>Epoch</dt><dd data-stat="epoch">000000</dd></div></dl>
    <div class="pg-toolbar-settings"></div>
    <div class="button-row pg-exports" data-control="exports">
      <button type="button" data-action="export-history">Loss history CSV</button>
      <button type="button" data-action="export-image">Picture PNG</button>
    </div>
    <a class="pg-challenge-link" href="#challenge=true">Try the challenge</a>
  </div>
  <p class="hint">Keys: space plays or pauses, the right arrow trains one epoch.</p>

  <p class="message warning" data-role="warnings" aria-live="polite"></p>
  <p class="message error" data-role="failure" aria-live="assertive"></p>
  <p class="message" data-role="notice" aria-live="polite"></p>
  <p class="message pg-challenge" data-role="challenge" aria-live="polite"></p>

  <div class="pg-layout">
    <aside class="panel pg-data"></aside>
    <div class="pg-runs"></div>
  </div>

  <div class="panel pg-chart-panel">
    <h2>Loss</h2>
    <div class="pg-chart"></div>
  </div>

  <details class="panel pg-classroom" data-control="classroomLink"></details>

  <div class="panel explanation">
    <h2>What is happening</h2>
    <p>Every neuron computes a weighted sum of its inputs plus a bias and passes it through
    the activation function. The small squares show that output for every point of the
    plane: blue where it is negative, orange where it is positive. The wider a line, the
    larger the weight; its colour gives the weight's sign.</p>
    <p>Training repeats one step per batch of points: compute the loss (half the squared
    difference between output and label), find how each weight changes it
    (backpropagation), and move every weight a little against that gradient. One epoch is
    one pass over all training points. The test points are never trained on: their loss
    shows whether what the network learned carries over to new points.</p>
    <p>The inputs matter. With only x₁ and x₂ and no hidden layer, the output can only draw
    a straight border. Hidden layers let the network build curved borders out of straight
    ones; extra features such as x₁² hand it a curve directly.</p>
    <p>If the loss grows without bound, training stops at that epoch and says why: usually
    the learning rate is too large, so every step overshoots.</p>
  </div>
</section>`;
