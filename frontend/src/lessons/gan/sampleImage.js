/**
 * Shows sample grids in `image` with at most one request in flight.
 *
 * `show(url, alt)` requests a grid. While one is still loading, a newer
 * request waits and replaces any request that was waiting before it, so a
 * quick slider move across many epochs skips the grids in between and
 * cancels no request. The browser keeps the old grid on screen until the new
 * one has loaded. `clear()` empties the image for another run.
 */
export function createSampleImage(image) {
  // The grid to show once the one in flight has loaded: { url, alt } or null.
  let next = null;
  let loading = null;

  function loadNext() {
    loading = null;
    if (next === null || image.getAttribute("src") === next.url) return;
    loading = next;
    image.src = next.url;
  }

  function onLoad() {
    // The alt text is set only once the grid is there, because an image with
    // alt text and no picture shows a broken-image box.
    if (loading) image.alt = loading.alt;
    loadNext();
  }

  function onError() {
    image.alt = "";
    loadNext();
  }

  image.addEventListener("load", onLoad);
  image.addEventListener("error", onError);

  return {
    show(url, alt) {
      next = { url, alt };
      if (loading === null) loadNext();
    },
    clear() {
      next = null;
      loading = null;
      image.removeAttribute("src");
      image.alt = "";
    },
    destroy() {
      next = null;
      image.removeEventListener("load", onLoad);
      image.removeEventListener("error", onError);
    },
  };
}
