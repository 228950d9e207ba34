// Page modules by folder; each is imported on first visit, so every lesson's
// code is a separate chunk.
const PAGE_MODULES = import.meta.glob("./lessons/*/index.js");

// The lessons in teaching order. `folder` names the page module's folder
// under src/lessons/.
export const LESSONS = [
  {
    path: "/perceptron",
    title: "Perceptron",
    summary:
      "Rosenblatt's learning rule, one point at a time, and why it cannot solve XOR.",
    folder: "perceptron",
  },
  {
    path: "/gradient-descent",
    title: "Gradient descent",
    summary:
      "A small network fits a curve; try learning rates that are too small and too large.",
    folder: "gradient-descent",
  },
  {
    path: "/backprop",
    title: "Backpropagation",
    summary:
      "Step through the forward and backward pass of a computational graph, node by node.",
    folder: "backprop",
  },
  {
    path: "/playground",
    title: "Feature learning",
    summary:
      "Change inputs, depth and learning rate, and watch what each neuron learns.",
    folder: "playground",
  },
  {
    path: "/gan",
    title: "GAN on Fashion-MNIST",
    summary:
      "A generator and a discriminator train against each other, live for the whole class.",
    folder: "gan",
  },
  {
    path: "/biggan",
    title: "BigGAN: words to images",
    summary:
      "A pretrained conditional GAN draws an ImageNet class from a word you type.",
    folder: "biggan",
  },
];

/** Imports a lesson's page module; null if the lesson is not built in. */
export async function loadLessonPage(lesson) {
  const load = PAGE_MODULES[`./lessons/${lesson.folder}/index.js`];
  return load ? load() : null;
}

export function findLesson(path) {
  const normalized = path.replace(/\/+$/, "") || "/";
  return LESSONS.find((lesson) => lesson.path === normalized) ?? null;
}
