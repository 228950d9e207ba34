import "./styles/base.css";
import { LESSONS, findLesson, loadLessonPage } from "./lessons.js";
import { renderHome } from "./home.js";

const appRoot = document.getElementById("app");
const navRoot = document.getElementById("lesson-nav");
let unmountPage = null;
let renderCount = 0;

function renderNav(currentPath) {
  navRoot.replaceChildren(
    ...LESSONS.map((lesson) => {
      const link = document.createElement("a");
      link.href = lesson.path;
      link.textContent = lesson.title;
      link.dataset.link = "";
      if (lesson.path === currentPath) link.setAttribute("aria-current", "page");
      return link;
    }),
  );
}

async function renderRoute() {
  const renderId = ++renderCount;
  const path = window.location.pathname;
  const lesson = findLesson(path);
  if (unmountPage) {
    unmountPage();
    unmountPage = null;
  }
  appRoot.replaceChildren();
  renderNav(lesson?.path ?? path);

  if (path === "/" || path === "/index.html") {
    document.title = "ANN Lab";
    unmountPage = renderHome(appRoot, LESSONS);
    return;
  }
  if (!lesson) {
    document.title = "Not found - ANN Lab";
    appRoot.innerHTML = `<section class="panel"><h1>Page not found</h1>
      <p>There is no lesson at <code></code>. <a href="/" data-link>See all lessons</a>.</p></section>`;
    appRoot.querySelector("code").textContent = path;
    return;
  }

  document.title = `${lesson.title} - ANN Lab`;
  appRoot.innerHTML = `<p class="loading">Loading ${lesson.title}...</p>`;
  const page = await loadLessonPage(lesson);
  // A later navigation may have started while the module loaded.
  if (renderId !== renderCount) return;
  appRoot.replaceChildren();
  if (!page) {
    appRoot.innerHTML = `<section class="panel"><h1>${lesson.title}</h1>
      <p>This lesson is not part of this build.</p></section>`;
    return;
  }
  unmountPage = page.mount(appRoot) ?? null;
}

// Links marked with data-link navigate inside the app without a reload.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-link]");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
    return;
  }
  event.preventDefault();
  if (link.pathname !== window.location.pathname) {
    window.history.pushState({}, "", link.pathname);
    renderRoute();
  }
});

window.addEventListener("popstate", renderRoute);
renderRoute();
