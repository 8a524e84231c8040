// Passage links: select words in a report and "Copy link to this passage" gives the version's URL with a text
// fragment (#:~:text=..., WICG Text Fragments), which browsers scroll to and highlight. The version's URL, not the
// permalink, so the quoted words cannot drift when the report is corrected. Without this script nothing appears.
//
// The fragment is textStart alone for a short passage, textStart,textEnd for a long one or one across paragraphs;
// prefix- and -suffix (words around it in its paragraph) are added only when the passage is not the one place the
// fragment matches, judged by the browser's rules on the report's rendered text: case-insensitive, whole words,
// whitespace collapsed, textStart and textEnd each within one block.
"use strict";

(() => {
  const body = document.querySelector("[data-passage-url]");
  if (!body) return;
  const scope = body.closest("article") || body;
  const EDGE_WORDS = 4; // words of textStart and textEnd in a long passage
  const LONG_WORDS = 10; // a passage of more words is given as textStart,textEnd
  const MAX_CONTEXT = 6; // most words of prefix and suffix tried
  const LETTER = /[\p{L}\p{N}]/u;
  const JOINER = /['\u2019.]/u; // inside a word between letters or digits: Kim's, 3.5

  // The rendered text of the report as the browser searches it ------------------------------------------------------

  function textModel(root) {
    const model = { text: "", nodes: [], offsets: new Map() };
    const breakLine = () => {
      model.text = model.text.replace(/ $/, "");
      if (model.text && !model.text.endsWith("\n")) model.text += "\n";
    };
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        const data = node.data;
        const offsets = new Array(data.length + 1);
        for (let i = 0; i < data.length; i++) {
          offsets[i] = model.text.length;
          if (/\s/u.test(data[i])) {
            if (model.text && !/[ \n]$/.test(model.text)) model.text += " ";
          } else {
            model.text += data[i];
          }
        }
        offsets[data.length] = model.text.length;
        model.nodes.push([node, offsets]);
        model.offsets.set(node, offsets);
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) return;
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden") return;
      const block = !style.display.startsWith("inline") || node.tagName === "BR";
      if (block) breakLine();
      node.childNodes.forEach(walk);
      if (block) breakLine();
    };
    walk(root);
    return model;
  }

  function indexOf(model, container, offset) {
    const offsets = model.offsets.get(container);
    if (offsets) return offsets[offset];
    const point = document.createRange();
    point.setStart(container, offset);
    for (const [node, nodeOffsets] of model.nodes) {
      if (point.comparePoint(node, 0) >= 0) return nodeOffsets[0];
    }
    return model.text.length;
  }

  function isWordChar(text, i) {
    if (i < 0 || i >= text.length) return false;
    if (LETTER.test(text[i])) return true;
    return JOINER.test(text[i]) && LETTER.test(text[i - 1] || "") && LETTER.test(text[i + 1] || "");
  }

  // The selection in the model, trimmed, and widened to whole words (a fragment matches whole words only).
  function passageOf(model, range) {
    const text = model.text;
    let start = indexOf(model, range.startContainer, range.startOffset);
    let end = indexOf(model, range.endContainer, range.endOffset);
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    while (start > 0 && isWordChar(text, start - 1) && isWordChar(text, start)) start--;
    while (end < text.length && isWordChar(text, end) && isWordChar(text, end - 1)) end++;
    return start < end ? [start, end] : null;
  }

  // Word positions [from, to) in text[from..to), and edges of the block (paragraph) around a position.
  function wordsIn(text, from, to) {
    const words = [];
    const re = /\S+/gu;
    re.lastIndex = from;
    let m;
    while ((m = re.exec(text)) && m.index < to) words.push([m.index, Math.min(m.index + m[0].length, to)]);
    return words;
  }

  function blockAround(text, i) {
    const start = text.lastIndexOf("\n", i - 1) + 1;
    const end = text.indexOf("\n", i);
    return [start, end === -1 ? text.length : end];
  }

  // Candidate directives, from none to the most context -------------------------------------------------------------

  function directive(text, start, end, context) {
    const passage = text.slice(start, end);
    const words = wordsIn(text, start, end);
    const long = passage.includes("\n") || words.length > LONG_WORDS;
    const parts = {};
    if (long) {
      const firstLine = wordsIn(text, start, blockAround(text, start)[1]);
      const lastLine = wordsIn(text, blockAround(text, end)[0], end);
      const edge = EDGE_WORDS + context;
      let startEnd = firstLine[Math.min(edge, firstLine.length) - 1][1];
      let endStart = lastLine[Math.max(lastLine.length - edge, 0)][0];
      if (startEnd >= endStart) { // one short block: halve it
        const middle = words[Math.floor(words.length / 2)];
        startEnd = words[Math.floor(words.length / 2) - 1][1];
        endStart = middle[0];
      }
      parts.start = text.slice(start, startEnd);
      parts.end = text.slice(endStart, end);
    } else {
      parts.start = passage;
    }
    if (context) {
      const before = wordsIn(text, blockAround(text, start)[0], start);
      const after = wordsIn(text, end, blockAround(text, end)[1]);
      if (before.length) parts.prefix = text.slice(before[Math.max(before.length - context, 0)][0], start).trim();
      if (after.length) parts.suffix = text.slice(end, after[Math.min(context, after.length) - 1][1]).trim();
    }
    return parts;
  }

  // Where a directive matches, by the browser's rules: [[start, end], ...] ------------------------------------------

  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = (part) => part.split(/\s+/u).map(escape).join(" ");
  const bounded = (source) => `(?<![\\p{L}\\p{N}])${source}(?![\\p{L}\\p{N}])`;

  function occurrences(text, source, from) {
    const re = new RegExp(source, "giu");
    const found = [];
    re.lastIndex = from;
    let m;
    while ((m = re.exec(text))) {
      found.push([m.index + (m[1] ? m[1].length : 0), m.index + m[0].length]);
      re.lastIndex = m.index + 1;
    }
    return found;
  }

  function matches(text, parts) {
    const head = (parts.prefix ? `(${bounded(pattern(parts.prefix))} )` : "") + bounded(pattern(parts.start));
    const follows = (i) => !parts.suffix || new RegExp(`^ ${bounded(pattern(parts.suffix))}`, "iu").test(text.slice(i));
    const found = [];
    for (const [start, headEnd] of occurrences(text, head, 0)) {
      if (!parts.end) {
        if (follows(headEnd)) found.push([start, headEnd]);
        continue;
      }
      const end = occurrences(text, bounded(pattern(parts.end)), headEnd).find(([, to]) => follows(to));
      if (end) found.push([start, end[1]]);
    }
    return found;
  }

  function fragmentFor(model, start, end) {
    let parts;
    for (let context = 0; context <= MAX_CONTEXT; context++) {
      parts = directive(model.text, start, end, context);
      const found = matches(model.text, parts);
      if (found.length === 1 && found[0][0] === start && found[0][1] === end) break;
    }
    const encode = (s) => encodeURIComponent(s).replace(/-/g, "%2D"); // it escapes "," and "&" already
    const pieces = [];
    if (parts.prefix) pieces.push(`${encode(parts.prefix)}-`);
    pieces.push(encode(parts.start));
    if (parts.end) pieces.push(encode(parts.end));
    if (parts.suffix) pieces.push(`-${encode(parts.suffix)}`);
    return `:~:text=${pieces.join(",")}`;
  }

  // The button and, after a click, the link ----------------------------------------------------------------------

  const button = document.createElement("button");
  button.type = "button";
  button.className = "passage-link";
  button.textContent = "Copy link to this passage";
  button.hidden = true;
  const panel = document.createElement("div");
  panel.className = "passage-fallback";
  panel.hidden = true;
  panel.innerHTML = '<p class="passage-status" role="status"></p>'
    + '<label class="visually-hidden" for="passage-link-field">Link to this passage</label>'
    + '<input id="passage-link-field" type="text" readonly>';
  document.body.append(button, panel);
  const status = panel.querySelector(".passage-status");
  const field = panel.querySelector("input");
  let selected = null;

  function place(element, rect) {
    element.style.top = `${rect.bottom + window.scrollY + 6}px`;
    element.style.left = `${Math.max(window.scrollX + 8, Math.min(rect.left + window.scrollX,
      window.scrollX + document.documentElement.clientWidth - element.offsetWidth - 8))}px`;
  }

  document.addEventListener("selectionchange", () => {
    if (panel.contains(document.activeElement)) return;
    const selection = document.getSelection();
    const range = selection.rangeCount ? selection.getRangeAt(0) : null;
    if (!range || range.collapsed || !body.contains(range.commonAncestorContainer)
        || !selection.toString().trim()) {
      button.hidden = true;
      panel.hidden = true;
      return;
    }
    selected = range.cloneRange();
    panel.hidden = true;
    button.hidden = false;
    const rects = range.getClientRects();
    place(button, rects.length ? rects[rects.length - 1] : range.getBoundingClientRect());
  });

  button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection

  button.addEventListener("click", async () => {
    if (!selected) return;
    const model = textModel(scope);
    const passage = passageOf(model, selected);
    if (!passage) return;
    const link = new URL(body.dataset.passageUrl, window.location.href);
    link.hash = fragmentFor(model, ...passage);
    field.value = link.href;
    const where = button.getBoundingClientRect();
    button.hidden = true;
    panel.hidden = false;
    place(panel, where);
    try {
      await navigator.clipboard.writeText(link.href);
      status.textContent = "Link to this passage copied.";
    } catch (error) {
      status.textContent = "Copying is blocked here; the link is selected, press Ctrl+C.";
      field.focus();
      field.select();
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      button.hidden = true;
      panel.hidden = true;
    }
  });
})();
