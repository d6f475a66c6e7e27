// Gatehouse console: the little the pages need besides HTML. No inline script anywhere (CSP).
(function () {
  "use strict";

  // Expiry countdowns of approval requests.
  function countdowns() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-expires]").forEach(function (el) {
      var left = Math.floor((Date.parse(el.getAttribute("data-expires")) - now) / 1000);
      if (isNaN(left)) {
        return;
      }
      if (left <= 0) {
        el.textContent = "(expired)";
        el.classList.add("expired");
        return;
      }
      var m = Math.floor(left / 60);
      var s = left % 60;
      el.textContent = "(in " + m + "m " + (s < 10 ? "0" : "") + s + "s)";
    });
  }

  // The approval queue stays live: it polls the ids waiting for this viewer and reloads when they
  // change, unless the viewer is typing a reason, in which case it says so instead.
  function poll(section) {
    var url = section.getAttribute("data-poll");
    var shown = section.getAttribute("data-ids") || "";
    var live = section.querySelector(".live");
    setInterval(function () {
      fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          if (!body) {
            return;
          }
          var now = body.ids.join(",");
          if (now === shown) {
            return;
          }
          var typing = Array.prototype.some.call(section.querySelectorAll("input[type=text]"),
            function (i) { return i.value !== "" || i === document.activeElement; });
          if (typing) {
            if (live) {
              live.textContent = "The queue changed; reload the page to see it.";
            }
          } else {
            window.location.reload();
          }
        })
        .catch(function () { /* the next poll tries again */ });
    }, 3000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    // After sign-in: continue from this page, so that the navigation counts as same-site.
    var next = document.querySelector("a[data-continue]");
    if (next) {
      window.location.assign(next.getAttribute("href"));
      return;
    }
    countdowns();
    setInterval(countdowns, 1000);
    document.querySelectorAll("[data-poll]").forEach(poll);
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
