// The archive's only script: copy buttons, the "/" shortcut and an article's related reports. Pages work without it.
"use strict";

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  const text = source.value !== undefined ? source.value : source.textContent.trim();
  const status = button.closest("section").querySelector(".copy-status");
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = button.dataset.copy === "#permalink" ? "Link copied." : "Citation copied.";
  } catch (error) {
    if (source.select) source.select();
    status.textContent = "Copying is blocked here; the text is selected, press Ctrl+C.";
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
  const box = document.querySelector("[data-search-shortcut]");
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});

// An article's related reports come after the page, from their own page (which the link leads to without script):
// finding them costs more than the rest of the article page.
const related = document.querySelector("[data-related]");
if (related) {
  fetch(related.dataset.related)
    .then((response) => (response.ok ? response.text() : Promise.reject(new Error(response.statusText))))
    .then((html) => {
      const list = new DOMParser().parseFromString(html, "text/html").querySelector(".related");
      if (list) related.replaceWith(list);
    })
    .catch(() => {});  // the link stays
}
