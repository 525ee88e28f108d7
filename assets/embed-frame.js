// Inside a frame on a project's own site: tells the page holding the frame how tall this page is,
// so that embed.js there can size the frame to all of it, without a scroll bar of its own.
(function () {
  "use strict";
  if (window.parent === window) return;
  var reported = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === reported) return;
    reported = height;
    // A height is no secret: any page holding the frame may know it.
    window.parent.postMessage({ type: "faqtory:height", height: height }, "*");
  }
  if ("ResizeObserver" in window) {
    new ResizeObserver(report).observe(document.documentElement);
  }
  window.addEventListener("load", report);
  report();
})();
