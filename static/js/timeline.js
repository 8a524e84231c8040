// The timeline's drag: press on a bar, move across others, let go, and the search narrows to that range of years or
// months. A click (or Enter on a focused bar) follows the bar's own link; without this script every bar still works.
"use strict";

(() => {
  for (const figure of document.querySelectorAll(".timeline[data-range-url]")) {
    const bars = [...figure.querySelectorAll("a.timeline-bar[data-from]")];
    if (bars.length < 2) continue;
    figure.classList.add("can-drag");
    let start = null;
    let end = null;
    let dragged = false;

    const barAt = (event) => {
      const element = document.elementFromPoint(event.clientX, event.clientY);
      const bar = element && element.closest("a.timeline-bar[data-from]");
      return bar && figure.contains(bar) ? bar : null;
    };
    const mark = () => {
      const [low, high] = [bars.indexOf(start), bars.indexOf(end)].sort((a, b) => a - b);
      bars.forEach((bar, index) => bar.classList.toggle("is-selected", index >= low && index <= high));
    };
    const reset = () => {
      start = end = null;
      figure.classList.remove("is-dragging");
      bars.forEach((bar) => bar.classList.remove("is-selected"));
    };

    figure.addEventListener("dragstart", (event) => event.preventDefault());  // links would be dragged as URLs
    figure.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      start = end = barAt(event);
      dragged = false;
    });
    figure.addEventListener("pointermove", (event) => {
      if (!start) return;
      const bar = barAt(event);
      if (!bar || bar === end) return;
      end = bar;
      dragged = true;
      figure.classList.add("is-dragging");
      mark();
    });
    document.addEventListener("pointerup", () => {
      if (!start) return;
      if (dragged && start !== end) {
        const [first, last] = [start, end].sort((a, b) => bars.indexOf(a) - bars.indexOf(b));
        const url = new URL(figure.dataset.rangeUrl, window.location.href);
        url.searchParams.set("from", first.dataset.from);
        url.searchParams.set("to", last.dataset.to);
        window.location.assign(url.toString());
        return;
      }
      reset();
    });
    document.addEventListener("pointercancel", reset);
    // The click that ends a drag must not also follow the bar it ended on.
    figure.addEventListener("click", (event) => {
      if (dragged && event.target.closest("a.timeline-bar")) event.preventDefault();
      dragged = false;
    });
  }
})();
