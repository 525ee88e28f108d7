// On a project's own page, beside <iframe data-faqtory src="https://ask.example.org/embed/…">:
// sizes each such frame to the height its page reports, so it reads as part of the page.
(function () {
  "use strict";
  var MIN_HEIGHT = 80;
  var MAX_HEIGHT = 20000;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "faqtory:height" || typeof data.height !== "number") return;
    var frames = document.querySelectorAll("iframe[data-faqtory]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      // Only the frame's own site speaks for it.
      if (new URL(frame.src, location.href).origin !== event.origin) continue;
      var height = Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, Math.round(data.height)));
      frame.style.height = height + "px";
    }
  });
})();
