export const TEMPLATE = `
<section class="biggan">
  <h1>BigGAN: from a word to an image</h1>
  <p class="lead">A generator trained on the 1000 classes of ImageNet draws a picture of the
  class you name. Type a word, see which class it becomes, then change the truncation and the
  seed to see what each one controls.</p>

  <div class="message status" data-role="status" aria-live="polite">
    <p data-role="status-text"></p>
    <details data-role="status-details" hidden>
      <summary>Details for the teacher</summary>
      <ul data-role="status-detail-list"></ul>
    </details>
  </div>
  <progress class="model-progress" max="1" value="0" hidden></progress>

  <div class="lesson-grid">
    <aside class="panel">
      <h2>Settings</h2>
      <form class="biggan-form" autocomplete="off">
        <label class="field">
          <span class="field-label">Label</span>
          <input type="text" name="label" maxlength="100" spellcheck="false" />
        </label>
        <div class="resolved" aria-live="polite">
          <p class="resolved-line"><span class="resolved-arrow">→</span> <strong data-role="resolved"></strong></p>
          <p class="hint" data-role="resolved-detail"></p>
          <label class="field candidates-field" hidden>
            <span class="field-label">Other candidates</span>
            <select name="candidate"></select>
          </label>
          <div class="suggestions button-row" hidden></div>
        </div>
        <label class="field field-number">
          <span class="field-label">Truncation</span>
          <input type="range" name="truncation" min="0.02" max="1" step="0.02" />
          <output data-role="truncation"></output>
        </label>
        <label class="field">
          <span class="field-label">Seed (empty: a new one each time)</span>
          <input type="number" name="seed" min="0" max="2147483647" step="1" placeholder="random" />
        </label>
        <label class="field">
          <span class="field-label">Images (1 to 16)</span>
          <input type="number" name="count" min="1" max="16" step="1" />
        </label>
        <div class="button-row">
          <button type="submit" class="primary" data-action="generate"
            aria-describedby="biggan-draw-blocked">Generate</button>
          <button type="button" data-action="random"
            aria-describedby="biggan-draw-blocked">Generate random</button>
        </div>
        <p class="hint draw-blocked" id="biggan-draw-blocked" data-role="draw-blocked" hidden></p>
      </form>
      <p class="hint">The seed of each image is shown under it; type it into the seed field
      to draw the same image again.</p>
    </aside>

    <div class="lesson-main">
      <div class="panel">
        <h2>Latest images</h2>
        <p class="message" data-role="message" aria-live="polite"></p>
        <div class="image-grid latest" data-role="latest"></div>
        <p class="hint" data-role="timings"></p>
      </div>

      <div class="panel">
        <h2>Interpolation</h2>
        <p class="hint">Images on the straight line from one (class, seed) to another: the
        noise and the class vector change together, step by step.</p>
        <form class="interpolation-form" autocomplete="off">
          <label class="field"><span class="field-label">From</span>
            <input type="text" name="from" maxlength="100" spellcheck="false" /></label>
          <label class="field"><span class="field-label">To</span>
            <input type="text" name="to" maxlength="100" spellcheck="false" /></label>
          <label class="field"><span class="field-label">Steps (2 to 10)</span>
            <input type="number" name="steps" min="2" max="10" step="1" /></label>
          <button type="submit" data-action="interpolate"
            aria-describedby="biggan-interpolate-blocked">Interpolate</button>
        </form>
        <p class="hint draw-blocked" id="biggan-interpolate-blocked" data-role="interpolate-blocked" hidden></p>
        <p class="message" data-role="interpolation-message" aria-live="polite"></p>
        <div class="image-strip" data-role="strip"></div>
      </div>

      <div class="panel">
        <h2>Gallery</h2>
        <p class="hint">The most recent images of this visit, newest first.</p>
        <div class="image-grid gallery" data-role="gallery"></div>
      </div>

      <div class="panel explanation">
        <h2>What is happening</h2>
        <p>The generator turns two inputs into a picture: a noise vector of 128 random numbers
        and a class. The class is a vector with one entry per ImageNet class, 1 for the chosen
        class and 0 elsewhere. It is mapped to a learned embedding and fed to every layer, so
        each layer shapes its output towards that class. This is the condition of a
        conditional GAN: the same noise with another class gives a different object in a
        similar pose and colour, and the same class with other noise gives another member of
        that class.</p>
        <p>Your word is not an input of the network. It only picks the class: first by the
        class names, then through WordNet, a dictionary of English nouns that knows that a
        Labrador retriever is a kind of dog and that a soap bubble is a kind of bubble.</p>
        <p>Truncation limits how far the noise may stray from the middle of its distribution.
        A small value keeps every number close to zero, where the generator has seen the most
        training examples: images come out clean and typical of the class, but they look alike.
        A value near 1 allows rare noise: more variety, and more images with odd shapes or
        broken details. Fidelity and variety pull against each other, and truncation picks the
        balance.</p>
        <p>Interpolation mixes both inputs at once. Halfway between a dog and a cat the class
        vector is half of each, which no training image ever had, and the generator still
        draws something in between.</p>
      </div>
    </div>
  </div>
</section>`;
