// Live budget example: as the amounts change, ask the server (which applies the ledger's
// own rule to this month's flattrs) and show its sentences. Without this script the
// "Preview" button does the same with a page load.
(function () {
  "use strict";
  var form = document.getElementById("budget-form");
  var list = document.getElementById("budget-example");
  if (!form || !list || !window.fetch) return;
  var names = ["monthly", "minimum", "cap"];
  var timer = null;
  var latest = 0;

  function show(lines, isError) {
    while (list.firstChild) list.removeChild(list.firstChild);
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      if (isError) item.className = "field-error";
      list.appendChild(item);
    });
  }

  function update() {
    var query = names.map(function (name) {
      var input = form.elements[name];
      return encodeURIComponent(name) + "=" + encodeURIComponent(input ? input.value : "");
    }).join("&");
    var ticket = ++latest;
    fetch(form.getAttribute("data-example-url") + "?" + query, {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json();
    }).then(function (body) {
      if (ticket !== latest) return; // an older answer arriving late
      if (body.sentences) show(body.sentences, false);
      else if (body.errors) show(Object.keys(body.errors).map(function (k) { return body.errors[k]; }), true);
    }).catch(function () { /* keep the last example */ });
  }

  names.forEach(function (name) {
    var input = form.elements[name];
    if (!input) return;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 250);
    });
  });
})();
