/** Renders the list of lessons into `root`; returns nothing to clean up. */
export function renderHome(root, lessons) {
  const section = document.createElement("section");
  section.className = "home";
  section.innerHTML = `
    <h1>ANN Lab</h1>
    <p class="lead">Lessons on how neural networks learn, from a single neuron to
    generative networks. Every lesson runs a real simulation and shows each step
    as it happens: pause it, step through it, and change the settings to see what
    breaks.</p>
    <ol class="lesson-list"></ol>`;
  const list = section.querySelector(".lesson-list");
  for (const lesson of lessons) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = lesson.path;
    link.dataset.link = "";
    link.textContent = lesson.title;
    const summary = document.createElement("p");
    summary.textContent = lesson.summary;
    item.append(link, summary);
    list.append(item);
  }
  root.append(section);
  return null;
}
