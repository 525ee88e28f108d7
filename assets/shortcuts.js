// Moderators' keys. On the dashboard, in a live session: j/k move between questions, a approves,
// r rejects, m opens "merge into", s puts on screen (or takes off); in focus mode, n puts the
// next question on screen. On the recording's review page: j/k move between questions, a accepts,
// e edits the answer, [ and ] move the moment ten seconds, s skips. On the polls page: j/k move
// between polls, o opens, c closes, v reveals or hides the results. ? shows them all. Keys do
// nothing while typing in a field, or with a modifier held. Every key stands for a button that is
// on the page anyway.
"use strict";

(function () {
  var DASHBOARD = {
    rows: "ol.moderation > li.question",
    keys: [
      ["j", "next question"],
      ["k", "previous question"],
      ["a", "approve"],
      ["r", "reject (with a reason: under More)"],
      ["m", "merge into… (type the other question's number, then Enter)"],
      ["s", "put on screen, or take off screen"],
      ["?", "show or hide this help"]
    ],
    act: function (key) {
      switch (key) {
        case "a": return submit(["approve"]);
        case "r": return submit(["reject"]);
        case "s": return submit(["on-screen", "off-screen"]);
        case "m": openMerge(); return true;
      }
      return false;
    }
  };
  var RECORDING = {
    rows: "ol.recording-review > li.review-row",
    keys: [
      ["j", "next question"],
      ["k", "previous question"],
      ["a", "accept the moment and the answer (or save them)"],
      ["e", "edit the answer"],
      ["[", "moment 10 seconds earlier"],
      ["]", "moment 10 seconds later"],
      ["s", "skip to the next question"],
      ["?", "show or hide this help"]
    ],
    act: function (key) {
      switch (key) {
        case "a": return submit(["recording/accept"]);
        case "e": return focusIn("textarea[name=answer_md]");
        case "[": return press('button[name=move][value="-10"]');
        case "]": return press('button[name=move][value="+10"]');
        case "s": move(1); return true;
      }
      return false;
    }
  };
  var POLLS = {
    rows: "ol.poll-admin > li.poll-row",
    keys: [
      ["j", "next poll"],
      ["k", "previous poll"],
      ["o", "open the poll"],
      ["c", "close the poll"],
      ["v", "reveal the results, or hide them again"],
      ["?", "show or hide this help"]
    ],
    act: function (key) {
      switch (key) {
        case "o": return submit(["open"]);
        case "c": return submit(["close"]);
        case "v": return submit(["reveal", "conceal"]);
      }
      return false;
    }
  };
  var board = null;
  var currentId = null;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll(board.rows));
  }

  function focusIn(selector) {
    var row = current();
    var field = row && row.querySelector(selector);
    if (!field) return false;
    field.focus();
    return true;
  }

  function press(selector) {
    var row = current();
    var button = row && row.querySelector(selector);
    if (!button) return false;
    button.click();
    return true;
  }

  function current() {
    return currentId ? document.getElementById(currentId) : null;
  }

  function select(row) {
    var before = current();
    if (before) before.classList.remove("current");
    currentId = row.id;
    row.classList.add("current");
    row.setAttribute("tabindex", "-1");
    row.focus();
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var at = all.indexOf(current());
    var next = at === -1 ? all[0] : all[Math.min(all.length - 1, Math.max(0, at + step))];
    select(next);
  }

  function submit(verbs) {
    var row = current();
    if (!row) return false;
    for (var i = 0; i < verbs.length; i++) {
      var form = row.querySelector('form[action$="/' + verbs[i] + '"]');
      if (form) {
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
        return true;
      }
    }
    return false;
  }

  function openMerge() {
    var row = current();
    var field = row && row.querySelector("input[name=into]");
    if (!field) return;
    // The field may sit in "Merge" or, on a pending question, inside "More" too: open each.
    for (var details = field.closest("details"); details; details = details.parentElement.closest("details")) {
      details.open = true;
    }
    field.focus();
  }

  function help() {
    var dialog = document.getElementById("shortcuts-help");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "shortcuts-help";
      dialog.setAttribute("aria-labelledby", "shortcuts-heading");
      var heading = document.createElement("h2");
      heading.id = "shortcuts-heading";
      heading.textContent = "Keyboard shortcuts";
      dialog.appendChild(heading);
      var list = document.createElement("dl");
      board.keys.forEach(function (entry) {
        var key = document.createElement("dt");
        var kbd = document.createElement("kbd");
        kbd.textContent = entry[0];
        key.appendChild(kbd);
        var what = document.createElement("dd");
        what.textContent = entry[1];
        list.appendChild(key);
        list.appendChild(what);
      });
      dialog.appendChild(list);
      var close = document.createElement("button");
      close.type = "button";
      close.className = "secondary";
      close.textContent = "Close";
      close.addEventListener("click", function () { dialog.close(); });
      dialog.appendChild(close);
      document.body.appendChild(dialog);
    }
    if (dialog.open) dialog.close(); else dialog.showModal();
  }

  function onKey(event) {
    if (isTyping(event)) return;
    var done = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "?": help(); break;
      default: done = board.act(event.key);
    }
    if (done) event.preventDefault();
  }

  function isTyping(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return true;
    var target = event.target;
    return !!(target.closest && target.closest("input, textarea, select, [contenteditable]"));
  }

  // Focus mode: one key moves the call on. The form is looked up at each press, since live
  // updates replace it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "n" || isTyping(event)) return;
    var next = document.getElementById("move-on");
    if (!next) return;
    event.preventDefault();
    if (next.requestSubmit) next.requestSubmit(); else next.submit();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector("ol.moderation");
    board = DASHBOARD;
    if (!list) {
      list = document.querySelector("ol.recording-review");
      board = RECORDING;
    }
    if (!list) {
      list = document.querySelector("ol.poll-admin");
      board = POLLS;
    }
    if (!list) return;
    document.addEventListener("keydown", onKey);
    // After a move the page comes back at the row it was about (and a link may point at one):
    // keep working from there.
    function selectAnchored() {
      var anchored = location.hash && document.getElementById(location.hash.slice(1));
      if (anchored && anchored.parentNode === list) select(anchored);
    }
    selectAnchored();
    window.addEventListener("hashchange", selectAnchored);
    // A live update may have replaced the selected row: mark its new element.
    document.addEventListener("faqtory:updated", function () {
      var row = current();
      if (row) row.classList.add("current");
    });
    var hint = document.createElement("p");
    hint.className = "meta shortcuts-hint";
    hint.textContent = "Press ? for keyboard shortcuts.";
    var bar = document.querySelector(".dashboard-bar");
    if (bar) bar.appendChild(hint); else list.parentNode.insertBefore(hint, list);
  });
})();
