// faqtory's own script: progressive enhancement only. Without it every page still works.
"use strict";

(function () {
  var toastTimer = null;

  function toast(message) {
    var box = document.getElementById("toast");
    if (!box) return;
    box.textContent = message;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.textContent = ""; }, 5000);
  }

  function render(button, count, voted) {
    button.setAttribute("aria-pressed", voted ? "true" : "false");
    button.value = voted ? "withdraw" : "up";
    var label = count + (count === 1 ? " vote" : " votes") + (voted ? ": withdraw your vote" : ": upvote");
    button.setAttribute("aria-label", label);
    button.title = label;
    var shown = button.querySelector(".count");
    if (shown) shown.textContent = String(count);
  }

  // Votes answer at once: the button flips before the server replies and flips back with a
  // message when the server refuses.
  function onVote(event) {
    var form = event.target.closest("form.vote");
    if (!form) return;
    event.preventDefault();
    var button = form.querySelector("button");
    if (!button || button.disabled || form.dataset.busy === "1") return;
    var id = form.dataset.question;
    var wasVoted = button.getAttribute("aria-pressed") === "true";
    var count = parseInt(button.querySelector(".count").textContent, 10) || 0;
    render(button, wasVoted ? count - 1 : count + 1, !wasVoted);
    form.dataset.busy = "1";
    fetch("/api/v1/questions/" + encodeURIComponent(id) + "/vote", {
      method: wasVoted ? "DELETE" : "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) throw new Error(body.message || "Your vote did not go through.");
        render(button, body.vote_count, body.voted);
      });
    }).catch(function (error) {
      render(button, count, wasVoted);
      toast(error && error.message ? error.message : "Your vote did not go through.");
    }).then(function () {
      form.dataset.busy = "";
    });
  }

  function relative(then, now) {
    var seconds = Math.round((now - then) / 1000);
    var future = seconds < 0;
    var amount = Math.abs(seconds);
    if (amount < 45) return future ? "in a moment" : "just now";
    var units = [[3600, 60, "minute"], [86400, 3600, "hour"], [2592000, 86400, "day"],
                 [31536000, 2592000, "month"], [Infinity, 31536000, "year"]];
    for (var i = 0; i < units.length; i++) {
      if (amount < units[i][0]) {
        var count = Math.max(1, Math.round(amount / units[i][1]));
        var words = count + " " + units[i][2] + (count === 1 ? "" : "s");
        return future ? "in " + words : words + " ago";
      }
    }
    return "";
  }

  // Exact times in the reader's own zone, with the zone named.
  function localTimes() {
    document.querySelectorAll("time[data-local]").forEach(function (node) {
      var then = Date.parse(node.getAttribute("datetime"));
      if (isNaN(then)) return;
      node.textContent = new Date(then).toLocaleString(undefined, {
        weekday: "long", day: "numeric", month: "long", year: "numeric",
        hour: "2-digit", minute: "2-digit", timeZoneName: "short"
      });
    });
  }

  // Keep "3 minutes ago" true, and show the exact time in the reader's own zone on hover.
  function refreshTimes() {
    var now = Date.now();
    document.querySelectorAll("time[data-relative]").forEach(function (node) {
      var then = Date.parse(node.getAttribute("datetime"));
      if (isNaN(then)) return;
      node.textContent = relative(then, now);
      node.title = new Date(then).toLocaleString();
    });
  }

  // Results follow the typing: a request 200 ms after the last key, at most one in flight (a
  // newer query waits for it, then goes), the address kept in step so back and reload work.
  // Without the script the form submits as usual.
  function instantSearch(input) {
    var form = input.form;
    var target = document.getElementById("faq-results");
    if (!form || !target) return;
    var timer = null;
    var inFlight = false;
    var pending = false;
    var shown = input.value;

    function query() {
      var params = new URLSearchParams(new FormData(form));
      if (!params.get("q")) params.delete("q");
      if (!params.get("label")) params.delete("label");
      return params.toString();
    }

    function run() {
      if (inFlight) { pending = true; return; }
      var wanted = query();
      if (wanted === shown) return;
      inFlight = true;
      fetch("/faq" + (wanted ? "?" + wanted : ""), {
        headers: { "X-Faqtory-Fragment": "results" },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) throw new Error("Search is not answering right now.");
        return response.text();
      }).then(function (html) {
        target.innerHTML = html;
        shown = wanted;
        history.replaceState(null, "", "/faq" + (wanted ? "?" + wanted : ""));
      }).catch(function (error) {
        toast(error.message);
      }).then(function () {
        inFlight = false;
        if (pending) { pending = false; run(); }
      });
    }

    shown = query();
    function later() { clearTimeout(timer); timer = setTimeout(run, 200); }
    input.addEventListener("input", later);
    form.addEventListener("change", later);
  }

  // While someone types a question, the ones like it show below the box, each with its own
  // upvote (or a link to its answer): most duplicates are never sent. Without the script the
  // server shows the same list when the form is sent.
  function similarWhileTyping(textarea) {
    var form = textarea.form;
    var box = document.getElementById("similar-live");
    var slug = (form.getAttribute("action") || "").split("/")[2];
    if (!form || !box || !slug) return;
    var timer = null;
    var inFlight = false;
    var pending = false;
    var asked = "";

    function item(suggestion) {
      var li = document.createElement("li");
      var body = document.createElement("span");
      body.className = "question-body";
      body.textContent = suggestion.body;
      li.appendChild(body);
      // An answered question (an FAQ entry) is read, not voted for: it shows that it has an answer.
      var votes = document.createElement("span");
      votes.className = "meta";
      votes.textContent = suggestion.answered
        ? " answered "
        : " " + suggestion.vote_count + (suggestion.vote_count === 1 ? " vote " : " votes ");
      li.appendChild(votes);
      if (suggestion.answered) {
        var link = document.createElement("a");
        link.href = suggestion.url;
        link.textContent = "Read the answer";
        li.appendChild(link);
      } else {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.textContent = "Upvote this one";
        button.addEventListener("click", function () {
          button.disabled = true;
          fetch("/api/v1/questions/" + encodeURIComponent(suggestion.id) + "/vote", {
            method: "POST",
            headers: { "Content-Type": "application/json", "Accept": "application/json" },
            credentials: "same-origin"
          }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (reply) {
              if (!response.ok) throw new Error(reply.message || "Your vote did not go through.");
              votes.textContent = " " + reply.vote_count + (reply.vote_count === 1 ? " vote " : " votes ");
              button.textContent = "Upvoted";
            });
          }).catch(function (error) {
            button.disabled = false;
            toast(error.message);
          });
        });
        li.appendChild(button);
      }
      return li;
    }

    // A documentation section that answers: its heading path (a link to it), the passage with
    // the words typed, and "This answers my question" (counted; nothing is sent).
    function docItem(doc) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.className = "doc-title";
      link.href = doc.open_url + "?e=" + encodeURIComponent(slug);
      link.textContent = doc.title;
      li.appendChild(link);
      var snippet = document.createElement("p");
      snippet.className = "doc-snippet";
      // Escaped by the server; only its <mark> tags are markup.
      snippet.innerHTML = doc.snippet_html;
      li.appendChild(snippet);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = "This answers my question";
      button.addEventListener("click", function () {
        button.disabled = true;
        fetch("/api/v1/docs/sections/" + encodeURIComponent(doc.id) + "/answered", {
          method: "POST",
          headers: { "Content-Type": "application/json", "Accept": "application/json" },
          credentials: "same-origin",
          body: JSON.stringify({ event: slug })
        }).then(function (response) {
          if (!response.ok) throw new Error("That did not go through; please try again.");
          var thanks = document.createElement("p");
          thanks.className = "doc-thanks";
          thanks.setAttribute("role", "status");
          thanks.textContent = "Glad it helped. Nothing was sent; your question is still in the box if you want it.";
          li.replaceChild(thanks, button);
        }).catch(function (error) {
          button.disabled = false;
          toast(error.message);
        });
      });
      li.appendChild(button);
      return li;
    }

    function section(className, headingText, restText, items) {
      var part = document.createElement("div");
      part.className = className;
      var heading = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = headingText;
      heading.appendChild(strong);
      heading.appendChild(document.createTextNode(restText));
      part.appendChild(heading);
      var list = document.createElement("ul");
      items.forEach(function (element) { list.appendChild(element); });
      part.appendChild(list);
      return part;
    }

    function hidden(name, value) {
      var input = form.querySelector("input[name=" + name + "]");
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        form.appendChild(input);
      }
      input.value = value;
    }

    function show(suggestions) {
      box.textContent = "";
      box.className = "";
      var docs = suggestions.filter(function (s) { return s.kind === "doc"; });
      var questions = suggestions.filter(function (s) { return s.kind !== "doc"; });
      // Which sections were in view when the question goes anyway: counted for the docs report.
      hidden("docs_shown", docs.map(function (doc) { return doc.id; }).join(","));
      if (!suggestions.length) return;
      if (docs.length) {
        box.appendChild(section("similar docs", "Already in the documentation", " \u2014 this may answer it.", docs.map(docItem)));
      }
      if (questions.length) {
        box.appendChild(section("similar", "Already asked?", " Upvote one of these, or send yours.", questions.map(item)));
      }
      // Seen here, so the server need not show them again on submit.
      hidden("anyway", "1");
    }

    function run() {
      if (inFlight) { pending = true; return; }
      var text = textarea.value.trim();
      if (text === asked) return;
      if (text.length < 10) { asked = text; box.textContent = ""; return; }
      inFlight = true;
      fetch("/api/v1/events/" + encodeURIComponent(slug) + "/similar?q=" + encodeURIComponent(text), {
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) throw new Error("no suggestions");
        return response.json();
      }).then(function (suggestions) {
        asked = text;
        show(suggestions);
      }).catch(function () {
        // Suggestions are a help, not a step: silence when they fail.
      }).then(function () {
        inFlight = false;
        if (pending) { pending = false; run(); }
      });
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 300);
    });
  }

  // A dashboard row's likely duplicates are looked for when the moderator opens them.
  function loadOnOpen(details) {
    // A property, not an attribute: live updates compare rows' markup.
    if (details.faqtoryBound) return;
    details.faqtoryBound = true;
    details.addEventListener("toggle", function () {
      if (!details.open || details.dataset.loaded === "1") return;
      var target = details.querySelector(".loaded");
      if (!target) return;
      details.dataset.loaded = "1";
      target.textContent = "Looking…";
      fetch(details.dataset.load, {
        headers: { "X-Faqtory-Fragment": "list" },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) throw new Error("Could not look for duplicates.");
        return response.text();
      }).then(function (html) {
        target.innerHTML = html;
      }).catch(function (error) {
        details.dataset.loaded = "";
        target.textContent = error.message;
      });
    });
  }

  // The recording page while its transcript is read by meaning in the background: the bar
  // follows the stored progress, and says when proposals by meaning are a reload away.
  function followMeaningProgress(note) {
    var bar = note.querySelector("progress");
    var count = note.querySelector(".progress-count");
    function look() {
      fetch(note.getAttribute("data-progress-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (progress) {
          if (!progress) return;
          bar.max = progress.cues;
          bar.value = progress.embedded;
          count.textContent = progress.embedded + " of " + progress.cues + " cues";
          if (progress.embedded >= progress.cues) {
            note.querySelector(".progress-next").hidden = false;
          } else {
            setTimeout(look, 2000);
          }
        })
        .catch(function () { setTimeout(look, 5000); });
    }
    setTimeout(look, 2000);
  }

  // The recording page while a recording is transcribed: the bar and its words follow the job,
  // and the page reloads when it ends (to show the new transcript, or why it stopped).
  function followTranscription(note) {
    var bar = note.querySelector("progress");
    var count = note.querySelector(".progress-count");
    function clock(seconds) {
      var s = Math.floor(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
      var two = function (n) { return (n < 10 ? "0" : "") + n; };
      return h > 0 ? h + ":" + two(m) + ":" + two(r) : m + ":" + two(r);
    }
    function left(seconds) {
      if (seconds < 60) return "under a minute left";
      if (seconds < 5400) return "about " + Math.ceil(seconds / 60) + " min left";
      return "about " + (seconds / 3600).toFixed(1) + " h left";
    }
    function look() {
      fetch(note.getAttribute("data-progress-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (!job) { setTimeout(look, 5000); return; }
          if (["preparing", "queued", "running"].indexOf(job.state) < 0) { location.reload(); return; }
          bar.value = job.percent;
          bar.textContent = job.percent + "%";
          if (job.state === "queued") {
            count.textContent = "Waiting its turn (" + clock(job.audio_seconds) + " of recording).";
          } else {
            count.textContent = job.percent + "%: " + clock(job.done_seconds) + " of " + clock(job.audio_seconds) +
              (job.seconds_left == null ? "." : ", " + left(job.seconds_left) + ".");
          }
          setTimeout(look, 3000);
        })
        .catch(function () { setTimeout(look, 5000); });
    }
    setTimeout(look, 3000);
  }

  // A row's "merge into" picker offers every question of the page but the row's own: its list
  // is the page's, less that one, made when the field is first used.
  function pickerWithoutItself(event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-merge-self]")) return;
    var self = input.getAttribute("data-merge-self");
    var id = "merge-targets-but-" + self;
    if (!document.getElementById(id)) {
      var all = document.getElementById("merge-targets");
      if (!all) return;
      var own = all.cloneNode(true);
      own.id = id;
      own.querySelectorAll("option").forEach(function (option) {
        if (option.value.indexOf("#" + self + " ") === 0) option.remove();
      });
      all.parentNode.appendChild(own);
    }
    input.setAttribute("list", id);
  }

  document.addEventListener("submit", onVote);
  document.addEventListener("focusin", pickerWithoutItself);
  document.addEventListener("DOMContentLoaded", function () {
    // A page showing work under way (a documentation refresh) follows it by reloading itself.
    if (document.querySelector("[data-reload-soon]")) setTimeout(function () { location.reload(); }, 2000);
    var meaningProgress = document.getElementById("meaning-progress");
    if (meaningProgress) followMeaningProgress(meaningProgress);
    var transcription = document.getElementById("transcription-progress");
    if (transcription) followTranscription(transcription);
    document.querySelectorAll("input[data-instant-search]").forEach(instantSearch);
    document.querySelectorAll("details[data-load]").forEach(loadOnOpen);
    var askBody = document.getElementById("ask-body");
    if (askBody) similarWhileTyping(askBody);
    refreshTimes();
    localTimes();
    setInterval(refreshTimes, 30000);
    // After asking, the page opens at the notice with the follow link: screen readers go there too.
    var justAsked = document.getElementById("just-asked");
    if (justAsked && location.hash === "#just-asked") justAsked.focus();
  });
  // New counts from live updates: each vote button keeps its pressed state and says its count.
  document.addEventListener("faqtory:votes", function (event) {
    (event.detail || []).forEach(function (entry) {
      var button = document.querySelector("#q-" + entry.id + " form.vote button");
      if (button) render(button, entry.votes, button.getAttribute("aria-pressed") === "true");
    });
  });
  // Rows that live updates brought in get the same behaviour as those served with the page.
  document.addEventListener("faqtory:updated", function () {
    document.querySelectorAll("details[data-load]").forEach(loadOnOpen);
    refreshTimes();
    localTimes();
  });
})();
