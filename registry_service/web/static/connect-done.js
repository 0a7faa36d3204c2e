// The extension reads the token from this page's fragment and closes the tab. If it does
// not (an older extension, another browser), offer the token for pasting in its options.
// The fragment never leaves this browser: nothing here sends it anywhere.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.hash.slice(1));
  var token = params.get("token");
  var box = document.getElementById("manual-token");
  if (!token || !box) return;
  document.getElementById("token-value").value = token;
  box.hidden = false;
})();
