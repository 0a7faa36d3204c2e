// Progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Put keyboard and screen-reader focus on a form's error summary when there is one.
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  // A chart wider than a small screen scrolls in its frame: start at its newest end.
  document.querySelectorAll(".chart-frame").forEach(function (frame) {
    frame.scrollLeft = frame.scrollWidth;
  });

  // Copy buttons: copy the text of the element named by data-copy-target.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".copy-button");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target || !navigator.clipboard) return;
    var text = "value" in target && target.tagName === "INPUT" ? target.value : target.textContent;
    navigator.clipboard.writeText(text).then(function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied");
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
})();
