// The upload page: files dropped onto the form, sent one per request so that a batch of hundreds never holds one
// long request, with a progress bar and each file's report row as it comes back. Without this script the form
// posts every file at once and the server renders the same rows.
"use strict";

(() => {
  const form = document.querySelector("form[data-upload-endpoint]");
  if (!form || !window.fetch || !window.FormData) return;

  const FILES_PER_REQUEST = 1;
  const STATUSES = ["added", "updated", "unchanged", "rejected", "not uploaded"];
  const input = form.querySelector("input[type=file]");
  const zone = form.querySelector("[data-drop-zone]");
  const chosen = form.querySelector("[data-chosen]");
  const button = form.querySelector("button[type=submit]");
  const report = document.querySelector("[data-report]");
  const rows = report.querySelector("[data-rows]");
  const summary = report.querySelector("[data-summary]");
  const progress = report.querySelector("[data-progress]");
  const bar = progress.querySelector("progress");

  const showChosen = () => {
    const count = input.files.length;
    chosen.textContent = count ? `${count} file${count === 1 ? "" : "s"} chosen.` : "";
  };
  input.addEventListener("change", showChosen);

  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("is-dragging");
    });
  }
  for (const type of ["dragleave", "drop"]) {
    zone.addEventListener(type, () => zone.classList.remove("is-dragging"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (!event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    showChosen();
  });

  // A row for files the server never answered for: listed like the others, never silently dropped.
  const failedRow = (name, reason) => {
    const row = document.createElement("li");
    row.className = "outcome outcome-rejected";
    const line = document.createElement("p");
    line.className = "outcome-line";
    line.textContent = `${name}: not uploaded: ${reason}`;
    row.append(line);
    return row;
  };

  const send = async (batch) => {
    const body = new FormData();
    for (const file of batch) body.append("files", file, file.name);
    for (const name of ["source", "default_date"]) body.append(name, form.elements[name].value);
    const response = await fetch(form.dataset.uploadEndpoint, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value, Accept: "application/json" },
    });
    let answer;
    try {
      answer = await response.json();
    } catch (error) {
      throw new Error(`the server's answer (${response.status}) could not be read; are you still logged in?`);
    }
    if (!response.ok) {
      const failure = new Error(answer.error || `the server answered ${response.status}`);
      failure.isFinal = response.status === 400;
      throw failure;
    }
    return answer.files;
  };

  form.addEventListener("submit", async (event) => {
    const files = Array.from(input.files);
    // A correction is one file: the plain form posts it, and the server checks it is one.
    if (!files.length || form.elements.replaces.value.trim()) return;
    event.preventDefault();
    const counts = Object.fromEntries(STATUSES.map((status) => [status, 0]));
    let done = 0;
    const update = () => {
      bar.value = done;
      const tally = STATUSES.filter((status) => counts[status]).map((status) => `${counts[status]} ${status}`);
      summary.textContent = `${done} of ${files.length}${tally.length ? `: ${tally.join(", ")}` : ""}`;
    };
    button.disabled = true;
    rows.replaceChildren();
    report.hidden = false;
    progress.hidden = false;
    bar.max = files.length;
    update();
    for (let start = 0; start < files.length; start += FILES_PER_REQUEST) {
      const batch = files.slice(start, start + FILES_PER_REQUEST);
      try {
        for (const file of await send(batch)) {
          rows.insertAdjacentHTML("beforeend", file.html);
          counts[file.status] += 1;
        }
      } catch (error) {
        const rest = error.isFinal ? files.slice(start) : batch;
        for (const file of rest) rows.append(failedRow(file.name, error.message));
        counts["not uploaded"] += rest.length;
        done += rest.length;
        update();
        if (error.isFinal) break;
        continue;
      }
      done += batch.length;
      update();
    }
    button.disabled = false;
  });
})();
