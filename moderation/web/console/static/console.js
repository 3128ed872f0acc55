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
    if (!message) return;
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
    post(form.getAttribute("action"), body).then(function (reply) {
      showFlash(reply.message, reply.ok, reply.undo);
      if (reply.ok) { clearDecided(affected); refreshState(); }
    }).catch(function () { form.submit(); });  // no JSON: fall back to the plain form
  }

  // A ban is asked about first: who, for how long, and how many waiting comments it rejects. The
  // form then goes as a plain form (the page reloads to show the author's other comments leave).
  var banDialog = document.getElementById("confirm-ban");
  function confirmBan(form) {
    var duration = form.querySelector("select[name=duration]");
    banDialog.querySelector(".what").textContent = form.dataset.confirm;
    banDialog.querySelector(".how-long").textContent = duration.options[duration.selectedIndex].text;
    banDialog.returnValue = "";
    banDialog.onclose = function () {
      if (banDialog.returnValue !== "confirm") return;
      var confirmed = document.createElement("input");
      confirmed.type = "hidden"; confirmed.name = "confirm"; confirmed.value = "1";
      form.appendChild(confirmed);
      form.submit();
    };
    banDialog.showModal();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.action === "ban" && banDialog && !form.querySelector("input[name=confirm]")) {
      event.preventDefault();
      confirmBan(form);
      return;
    }
    if (form.matches("[data-drawer-form]")) { event.preventDefault(); submitInDrawer(form, event.submitter); return; }
    if (!queue || !(form.closest(".card") || form.id === "bulk") || !form.matches("[method=post]")) return;
    if (form.dataset.action === "ban") return;
    event.preventDefault();
    submitAction(form, event.submitter);
  });

  // The author drawer: the author's page, shown over the side of the queue rather than in its place.
  var drawer = document.getElementById("drawer");
  function openDrawer(url) {
    var separator = url.indexOf("?") < 0 ? "?" : "&";
    return fetch(url + separator + "drawer=1", { credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 401) { window.location.reload(); throw new Error("logged out"); }
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        // Our own server-rendered template (every value escaped there); parsed inertly, no scripts run.
        var found = new DOMParser().parseFromString(html, "text/html").querySelector(".author-drawer");
        drawer.replaceChildren(document.importNode(found, true));
        drawer.dataset.url = url;
        drawer.hidden = false;
        document.body.classList.add("drawer-open");
        drawer.querySelector("[data-close-drawer]").focus();
      });
  }
  function closeDrawer() {
    drawer.hidden = true;
    document.body.classList.remove("drawer-open");
  }
  function submitInDrawer(form, submitter) {
    var body = new FormData(form);
    if (submitter && submitter.name) body.set(submitter.name, submitter.value);
    // getAttribute: form.action would be the form's own button named "action" (an undo's).
    post(form.getAttribute("action"), body).then(function (reply) {
      showFlash(reply.message, reply.ok);
      if (reply.ok) openDrawer(drawer.dataset.url);
    }).catch(function () { form.submit(); });
  }
  if (drawer) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-drawer]");
      if (link && !(event.ctrlKey || event.metaKey || event.shiftKey || event.button)) {
        event.preventDefault();
        openDrawer(link.href).catch(function () { window.location.href = link.href; });
      } else if (event.target.closest("[data-close-drawer]")) {
        closeDrawer();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !drawer.hidden) closeDrawer();
    });
  }

  function cardForm(card, action) { return card && card.querySelector('form[data-action="' + action + '"]'); }

  document.addEventListener("keydown", function (event) {
    if (!queue || event.ctrlKey || event.metaKey || event.altKey) return;
    if ((drawer && !drawer.hidden) || (banDialog && banDialog.open)) return;  // keys are the drawer's, the dialog's
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
        var total = document.querySelector(".summary .total");
        if (total) total.textContent = state.total_label;
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  if (queue) {
    select(cards()[0]);
    window.setInterval(refreshState, Math.max(parseFloat(queue.dataset.pollS) || 5, 1) * 1000);
  }
})();
