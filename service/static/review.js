// Review queue: calls the JSON API; j/k move, a approve, r reject, u undo.
(function () {
  "use strict";
  const queue = Array.from(document.querySelectorAll("article.lead"));
  const flash = document.getElementById("flash");
  let current = 0;

  function say(text, isError) {
    flash.textContent = text;  // textContent: server messages never become markup
    flash.className = isError ? "error" : "";
  }

  function select(i) {
    if (!queue.length) return;
    current = Math.max(0, Math.min(queue.length - 1, i));
    queue.forEach((el, j) => el.classList.toggle("selected", j === current));
    queue[current].focus({ preventScroll: true });
    queue[current].scrollIntoView({ block: "nearest" });
  }

  async function call(card, action, extra) {
    const id = card.dataset.id;
    const body = Object.assign({ version: Number(card.dataset.version) }, extra || {});
    const resp = await fetch(`/v1/leads/${id}/${action}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    const data = await resp.json().catch(() => ({}));
    if (!resp.ok) {
      const msg = data.error ? data.error.message : `HTTP ${resp.status}`;
      say(`#${id} ${action}: ${msg}`, true);
      return null;
    }
    card.dataset.version = String(data.version);
    const badge = card.querySelector("[data-role=status]");
    badge.textContent = data.status;
    badge.className = `status status-${data.status}`;
    card.classList.toggle("done", data.status !== "new");
    say(`#${id} ${action} ok (${data.status}, version ${data.version})`, false);
    return data;
  }

  function fieldChanges(card) {
    const changes = {};
    card.querySelectorAll("[data-role=fields] [name]").forEach((input) => {
      let value = input.value.trim();
      if (input.type === "number") value = value === "" ? null : Number(value);
      else if (value === "") value = input.name === "stage" ? "其他" : null;
      changes[input.name] = value;
    });
    return changes;
  }

  async function act(card, action) {
    if (action === "approve") return call(card, "approve");
    if (action === "undo") return call(card, "undo");
    if (action === "edit") return call(card, "edit", { changes: fieldChanges(card) });
    if (action === "reject") {
      const input = card.querySelector("[data-role=reason]");
      let reason = input.value.trim();
      if (!reason) reason = (window.prompt("Reason for rejecting?") || "").trim();
      if (!reason) { say("a rejection needs a reason", true); input.focus(); return null; }
      return call(card, "reject", { reason: reason });
    }
    if (action === "merge") {
      const ids = card.querySelector("[data-role=duplicates]").value.split(/[\s,，]+/).filter(Boolean).map(Number);
      if (!ids.length || ids.some((n) => !Number.isInteger(n))) { say("enter the duplicate lead ids", true); return null; }
      return call(card, "merge", { duplicate_ids: ids });
    }
    return null;
  }

  document.addEventListener("click", (ev) => {
    const button = ev.target.closest("button[data-action]");
    if (!button) return;
    const card = button.closest("article.lead");
    select(queue.indexOf(card));
    act(card, button.dataset.action);
  });

  document.addEventListener("keydown", (ev) => {
    const tag = (ev.target.tagName || "").toLowerCase();
    if (["input", "select", "textarea"].includes(tag) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const card = queue[current];
    if (ev.key === "j") { select(current + 1); ev.preventDefault(); }
    else if (ev.key === "k") { select(current - 1); ev.preventDefault(); }
    else if (card && ev.key === "a") { ev.preventDefault(); act(card, "approve").then((ok) => ok && select(current + 1)); }
    else if (card && ev.key === "r") { ev.preventDefault(); act(card, "reject").then((ok) => ok && select(current + 1)); }
    else if (card && ev.key === "u") { ev.preventDefault(); act(card, "undo"); }
  });

  // Keep the 亿/万 reading beside an amount in step with what the analyst types.
  function chineseAmount(value) {
    if (!Number.isFinite(value)) return "";
    for (const [unit, size] of [["亿", 1e8], ["万", 1e4]]) {
      if (Math.abs(value) >= size) return String(Number((value / size).toFixed(4))) + unit;
    }
    return String(value);
  }
  document.addEventListener("input", (ev) => {
    if (ev.target.name !== "amount_cny") return;
    const hint = ev.target.parentElement.querySelector("[data-role=amount-hint]");
    const text = ev.target.value.trim();
    if (hint) hint.textContent = text === "" ? "" : chineseAmount(Number(text)) + "元";
  });

  // Scroll each document excerpt so its evidence sentence is in view.
  document.querySelectorAll(".evidence-context").forEach((box) => {
    const mark = box.querySelector("mark.evidence");
    if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - box.clientHeight / 3);
  });

  select(0);
})();
