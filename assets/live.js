// Live pages: an element with `data-live` names a Server-Sent Events stream. Vote counts change
// in place. A changed question whose frame carries its row (the public event page's list, marked
// `data-fragments`) is put in place from the frame; anything else makes the page re-read itself
// and merge what changed, row by row, without moving what the reader is reading and without
// touching a row someone is working in. A reconnecting stream re-reads too, so nothing depends on
// replay. Without the script (or EventSource) the page is simply as it was served.
"use strict";

(function () {
  var REFRESH_GAP = 1000;

  // A row someone is working in: focus in it (but for its vote button when `votingIsIdle`, since
  // a replaced row keeps its vote control and its focus), a disclosure open, a field changed.
  function rowIsBusy(row, votingIsIdle) {
    var focused = document.activeElement;
    if (row.contains(focused) && focused !== row && !(votingIsIdle && focused.closest("form.vote"))) return true;
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

  // A row from a frame is everyone's: this reader's vote and "your question" marks come over from
  // the row it replaces, and its links name this page's tab.
  function adopt(row, existing, tab) {
    row.querySelectorAll("input[name=sort]").forEach(function (input) { input.value = tab; });
    row.querySelectorAll("a.badge.label").forEach(function (link) {
      link.setAttribute("href", link.getAttribute("href").replace(/([?&]sort=)[a-z]+/, "$1" + tab));
    });
    if (!existing) return;
    var oldVote = existing.querySelector("form.vote");
    var newVote = row.querySelector("form.vote");
    if (oldVote && newVote) {
      var count = newVote.querySelector(".count");
      var keptCount = oldVote.querySelector(".count");
      if (count && keptCount) keptCount.textContent = count.textContent;
      newVote.replaceWith(oldVote);
    }
    var marks = existing.querySelector(".yours-marks");
    var meta = row.querySelector(".meta");
    if (marks && meta && !row.querySelector(".yours-marks")) meta.appendChild(marks.cloneNode(true));
    if (existing.classList.contains("mine")) row.classList.add("mine");
  }

  function voteCount(row) {
    var count = row.querySelector(".count");
    return count ? parseInt(count.textContent, 10) || 0 : 0;
  }

  // Where a new row goes: first on the New tab, else after every row with at least its votes.
  function place(list, row, tab, votes) {
    if (tab === "new") { list.insertBefore(row, list.firstChild); return; }
    var rows = list.children;
    for (var i = 0; i < rows.length; i++) {
      if (voteCount(rows[i]) < votes) { list.insertBefore(row, rows[i]); return; }
    }
    list.appendChild(row);
  }

  function setText(id, text) {
    var node = document.getElementById(id);
    if (node && node.textContent !== text) node.textContent = text;
  }

  // The counts around the list follow its rows and the frame's figures.
  function updateCounts(list, tab, data) {
    var rows = list.querySelectorAll(":scope > li").length;
    setText("list-heading", rows + (tab === "answered" ? " answered" : rows === 1 ? " open question" : " open questions"));
    var empty = document.getElementById("no-questions");
    if (empty) empty.hidden = rows > 0;
    document.querySelectorAll("#list-tabs a").forEach(function (link) {
      if (/sort=answered/.test(link.getAttribute("href"))) {
        var text = "Answered (" + data.answered + ")";
        if (link.textContent !== text) link.textContent = text;
      }
    });
    var summary = document.getElementById("moderation-summary");
    if (summary) {
      summary.hidden = !data.awaiting;
      var words = data.awaiting + " awaiting moderation";
      if (summary.textContent !== words) summary.textContent = words;
    }
  }

  function showOnScreen(data) {
    var section = document.getElementById("on-screen-now");
    if (!section) return;
    if (data.on_screen_html) {
      var template = document.createElement("template");
      template.innerHTML = data.on_screen_html;
      var fresh = template.content.firstElementChild;
      if (fresh) section.replaceWith(fresh);
    } else if (section.getAttribute("data-question") === String(data.id)) {
      section.hidden = true;
      section.removeAttribute("data-question");
    }
  }

  // Puts a question's frame into the page; false when the page must re-read instead.
  function applyQuestion(data) {
    var list = document.querySelector("[data-fragments]");
    if (!list || list.hasAttribute("data-label")) return false;
    var tab = list.getAttribute("data-tab") || "top";
    var existing = document.getElementById("q-" + data.id);
    if (existing && existing.parentNode !== list) return false;
    if (existing && rowIsBusy(existing, true)) return false;
    var focused = existing && existing.contains(document.activeElement) ? document.activeElement : null;
    var belongs = !!data.row && (data.status === "answered") === (tab === "answered");
    var position = readingPosition();
    if (!belongs) {
      if (existing) existing.remove();
    } else {
      var template = document.createElement("template");
      template.innerHTML = data.row;
      var row = template.content.firstElementChild;
      if (!row) return false;
      adopt(row, existing, tab);
      if (existing) {
        existing.replaceWith(row);
        if (focused && row.contains(focused)) focused.focus({ preventScroll: true });
      } else {
        row.classList.add("arrived");
        place(list, row, tab, data.votes || 0);
      }
    }
    showOnScreen(data);
    updateCounts(list, tab, data);
    keepReadingPosition(position);
    document.dispatchEvent(new CustomEvent("faqtory:updated"));
    return true;
  }

  function start(root) {
    if (!window.EventSource) return;
    var refreshOnVotes = root.hasAttribute("data-live-votes-refresh");
    // A page that is one of a kind (the presenter screen) re-reads sooner and at once; a crowd's
    // pages keep the longer gap, spread a little.
    var ownGap = parseInt(root.getAttribute("data-live-refresh-gap"), 10);
    var gap = isNaN(ownGap) ? REFRESH_GAP : ownGap;
    var jitter = isNaN(ownGap) ? 300 : 0;
    var timer = null;
    var lastRefresh = 0;
    var inFlight = false;

    function refresh() {
      if (inFlight) { schedule(); return; }
      inFlight = true;
      lastRefresh = Date.now();
      fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (response.status === 503) {
            // The database is away for a moment: try again when the server says to.
            var seconds = parseInt(response.headers.get("Retry-After"), 10);
            setTimeout(schedule, Math.min(isNaN(seconds) ? 5 : seconds, 30) * 1000);
          }
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
      var wait = Math.max(0, lastRefresh + gap - Date.now()) + Math.random() * jitter;
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
    source.addEventListener("question", function (event) {
      var data = null;
      try { data = JSON.parse(event.data); } catch (e) { /* re-read below */ }
      if (!data || !applyQuestion(data)) schedule();
    });
    // A poll opened, closed or revealed (and, on the presenter screen and the dashboard, new
    // answers): re-read, at most once a second.
    ["event", "resync", "poll"].forEach(function (name) {
      source.addEventListener(name, schedule);
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-live]");
    if (root) start(root);
  });
})();
