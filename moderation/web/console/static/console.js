// The console's only script: keyboard shortcuts, actions without reloading, live queue counts.
// Everything it does also works without it (plain forms and links); it only saves clicks.
(function () {
  "use strict";
  var queue = document.querySelector(".queue");
  var csrf = document.querySelector('meta[name="csrf-token"]').content;

  function cards() { return Array.prototype.slice.call(document.querySelectorAll(".card")); }
  function selected() { return document.querySelector(".card.selected"); }

  function select(card) {
    var old = selected();
    if (old) old.classList.remove("selected");
    if (!card) return;
    card.classList.add("selected");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = cards(), index = all.indexOf(selected());
    select(all[Math.min(Math.max(index + step, 0), all.length - 1)]);
  }

  // Messages are built from text nodes only: nothing the server returns is parsed as HTML.
  function showFlash(message, ok, undoIds) {
    var box = document.getElementById("flash"), line = document.createElement("div");
    line.className = "flash " + (ok ? "flash-action" : "flash-error");
    var text = document.createElement("span");
    text.textContent = message;
    line.appendChild(text);
    if (undoIds && undoIds.length && queue) {
      var button = document.createElement("button");
      button.className = "undo";
      button.textContent = queue.dataset.undoLabel;
      button.addEventListener("click", function () { undo(undoIds); });
      line.appendChild(button);
    }
    box.replaceChildren(line);
  }

  function post(url, body) {
    body.set("csrf_token", csrf);
    return fetch(url, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 401) { window.location.reload(); throw new Error("logged out"); }
        return response.json();
      });
  }

  function undo(ids) {
    var body = new FormData();
    ids.forEach(function (id) { body.append("action", id); });
    post(queue.dataset.undoUrl, body).then(function (reply) {
      if (reply.ok) window.location.reload(); else showFlash(reply.message, false);
    });
  }

  // A decided comment leaves its queue; in "All" it stays, dimmed, until the next reload.
  function clearDecided(decided) {
    var all = cards(), last = decided[decided.length - 1];
    var next = all.slice(all.indexOf(last) + 1).find(function (c) { return decided.indexOf(c) < 0; });
    decided.forEach(function (card) {
      if (queue.dataset.queue === "all") card.classList.add("decided"); else card.remove();
    });
    select(next || cards()[cards().length - 1]);
  }

  function submitAction(form, submitter) {
    var body = new FormData(form);
    if (submitter && submitter.name) body.set(submitter.name, submitter.value);
    var affected = form.id === "bulk"
      ? cards().filter(function (c) { return c.querySelector(".pick").checked; })
      : [form.closest(".card")];
    post(form.action, body).then(function (reply) {
      showFlash(reply.message, reply.ok, reply.undo);
      if (reply.ok) { clearDecided(affected); refreshState(); }
    }).catch(function () { form.submit(); });  // no JSON: fall back to the plain form
  }

  if (queue) {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!(form.closest(".card") || form.id === "bulk") || !form.matches("[method=post]")) return;
      // A ban also rejects the author's other waiting comments: let the page reload to show that.
      if (form.dataset.action === "ban") return;
      event.preventDefault();
      submitAction(form, event.submitter);
    });
  }

  function cardForm(card, action) { return card && card.querySelector('form[data-action="' + action + '"]'); }

  document.addEventListener("keydown", function (event) {
    if (!queue || event.ctrlKey || event.metaKey || event.altKey) return;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) && event.target.type !== "checkbox") return;
    var card = selected();
    if (event.key === "j") move(1);
    else if (event.key === "k") move(-1);
    else if (event.key === "x" && card) { var box = card.querySelector(".pick"); box.checked = !box.checked; }
    else if (event.key === "a" && card) submitAction(cardForm(card, "approve"), cardForm(card, "approve").querySelector("button"));
    else if (event.key === "r" && card) submitAction(cardForm(card, "reject"), cardForm(card, "reject").querySelector("button"));
    else return;
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var card = event.target.closest(".card");
    if (card && queue) select(card);
  });

  // Live updates: ask how many comments arrived since the page was drawn; offer to show them.
  function refreshState() {
    if (!queue) return;
    var url = queue.dataset.stateUrl + (queue.dataset.stateUrl.indexOf("?") < 0 ? "?" : "&") + "after=" + queue.dataset.newest;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return;
        Object.keys(state.counts).forEach(function (name) {
          var badge = document.querySelector('.count[data-queue="' + name + '"]');
          if (badge) badge.textContent = state.counts[name];
        });
        var link = document.getElementById("new-comments");
        link.hidden = state.new === 0;
        link.textContent = state.label;
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  if (queue) {
    select(cards()[0]);
    window.setInterval(refreshState, Math.max(parseFloat(queue.dataset.pollS) || 5, 1) * 1000);
  }
})();
