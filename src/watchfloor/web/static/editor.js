// Live preview for the report editor: the server renders and sanitises; this only swaps the HTML in.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var body = document.getElementById("body");
  var preview = document.getElementById("preview");
  if (!form || !body || !preview) { return; }
  var timer = null;
  function refresh() {
    var data = new FormData();
    data.append("csrf", form.elements["csrf"].value);
    data.append("body", body.value);
    fetch("/preview", { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) { preview.innerHTML = html; })
      .catch(function () { preview.setAttribute("data-stale", "true"); });
  }
  body.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(refresh, 300);
  });
}());
