// Live pages: an element with `data-live` names a Server-Sent Events stream. Vote counts change
// in place; anything else makes the page re-read itself and merge what changed, row by row,
// without moving what the reader is reading and without touching a row someone is working in.
// A reconnecting stream re-reads too, so nothing depends on replay. Without the script (or
// EventSource) the page is simply as it was served.
"use strict";

(function () {
  var REFRESH_GAP = 1000;

  function rowIsBusy(row) {
    if (row.contains(document.activeElement) && document.activeElement !== row) return true;
    if (row.querySelector("details[open]")) return true;
    var fields = row.querySelectorAll("textarea, input:not([type=hidden]), select");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked !== field.defaultChecked) return true;
      } else if (field.tagName === "SELECT") {
        for (var j = 0; j < field.options.length; j++) {
          if (field.options[j].selected !== field.options[j].defaultSelected) return true;
        }
      } else if (field.value !== field.defaultValue) {
        return true;
      }
    }
    return false;
  }

  // The vote buttons' own labels are app.js's (it renders votes), told by a `faqtory:votes` event.
  function setCount(id, votes) {
    var row = document.getElementById("q-" + id);
    if (!row) return;
    row.querySelectorAll("[data-live-votes]").forEach(function (node) {
      node.textContent = String(votes);
    });
  }

  // A row's markup without what the page's own script changes in place (relative times), so
  // that only real changes replace a row.
  function comparable(node) {
    var copy = node.cloneNode(true);
    copy.querySelectorAll("time[data-relative]").forEach(function (time) {
      time.textContent = "";
      time.removeAttribute("title");
    });
    return copy.innerHTML;
  }

  // Rows of `fresh` are merged into `current`: new ones inserted after the row that precedes
  // them (scroll anchoring keeps the reader's place), gone ones removed, changed ones replaced;
  // existing rows keep their order.
  function mergeList(current, fresh) {
    var freshIds = {};
    Array.prototype.forEach.call(fresh.children, function (row) { if (row.id) freshIds[row.id] = true; });
    Array.prototype.slice.call(current.children).forEach(function (row) {
      if (row.id && !freshIds[row.id] && !rowIsBusy(row)) row.remove();
    });
    var previous = null;
    Array.prototype.slice.call(fresh.children).forEach(function (row) {
      if (!row.id) return;
      var existing = document.getElementById(row.id);
      var adopted = document.importNode(row, true);
      if (existing && existing.parentNode === current) {
        if (!rowIsBusy(existing) && comparable(existing) !== comparable(row)) {
          existing.replaceWith(adopted);
          existing = adopted;
        }
        previous = existing;
        return;
      }
      adopted.classList.add("arrived");
      if (previous && previous.nextSibling) current.insertBefore(adopted, previous.nextSibling);
      else if (previous) current.appendChild(adopted);
      else current.insertBefore(adopted, current.firstChild);
      previous = adopted;
    });
  }

  // The first row in view and where it is, to keep it there in browsers without scroll
  // anchoring (Chromium and Firefox anchor by themselves).
  function readingPosition() {
    if (window.CSS && CSS.supports && CSS.supports("overflow-anchor", "auto")) return null;
    var rows = document.querySelectorAll("[data-live-list] > [id]");
    for (var i = 0; i < rows.length; i++) {
      var top = rows[i].getBoundingClientRect().top;
      if (top >= 0) return { row: rows[i], top: top };
    }
    return null;
  }

  function keepReadingPosition(position) {
    if (!position || !position.row.isConnected) return;
    var moved = position.row.getBoundingClientRect().top - position.top;
    if (moved) window.scrollBy(0, moved);
  }

  function merge(doc) {
    var position = readingPosition();
    document.querySelectorAll("[data-live-list]").forEach(function (list) {
      var fresh = list.id && doc.getElementById(list.id);
      if (fresh) mergeList(list, fresh);
    });
    document.querySelectorAll("[data-live-part]").forEach(function (part) {
      var fresh = part.id && doc.getElementById(part.id);
      if (!fresh) return;
      if (!rowIsBusy(part) && comparable(part) !== comparable(fresh)) {
        part.replaceWith(document.importNode(fresh, true));
      }
    });
    keepReadingPosition(position);
    document.dispatchEvent(new CustomEvent("faqtory:updated"));
  }

  function start(root) {
    if (!window.EventSource) return;
    var refreshOnVotes = root.hasAttribute("data-live-votes-refresh");
    var timer = null;
    var lastRefresh = 0;
    var inFlight = false;

    function refresh() {
      if (inFlight) { schedule(); return; }
      inFlight = true;
      lastRefresh = Date.now();
      fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) { merge(new DOMParser().parseFromString(html, "text/html")); })
        .catch(function () { /* the next frame or reconnect tries again */ })
        .then(function () { inFlight = false; });
    }

    // At most one re-read a second, spread a little so a crowd does not ask at the same instant.
    function schedule() {
      if (timer) return;
      var wait = Math.max(0, lastRefresh + REFRESH_GAP - Date.now()) + Math.random() * 300;
      timer = setTimeout(function () { timer = null; refresh(); }, wait);
    }

    var source = new EventSource(root.getAttribute("data-live"));
    var opened = false;
    source.addEventListener("open", function () {
      if (opened) schedule();
      opened = true;
    });
    source.addEventListener("votes", function (event) {
      var counts = [];
      try { counts = JSON.parse(event.data); } catch (e) { return; }
      counts.forEach(function (entry) { setCount(entry.id, entry.votes); });
      document.dispatchEvent(new CustomEvent("faqtory:votes", { detail: counts }));
      if (refreshOnVotes) schedule();
    });
    ["question", "event", "resync"].forEach(function (name) {
      source.addEventListener(name, schedule);
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-live]");
    if (root) start(root);
  });
})();
