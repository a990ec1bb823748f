// Live briefing screen: when the server says the cohort changed (Server-Sent Events), fetch the
// board again and swap it in. Without JavaScript the page refreshes itself once a minute instead.
(function () {
  "use strict";
  var root = document.getElementById("briefing");
  if (!root || !window.EventSource || !window.fetch) return;
  var busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(root.getAttribute("data-fragment"), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) { root.innerHTML = html; root.classList.remove("stale-view"); })
      .catch(function () { root.classList.add("stale-view"); })
      .then(function () { busy = false; if (again) { again = false; refresh(); } });
  }
  var events = new EventSource(root.getAttribute("data-events"));
  events.addEventListener("change", refresh);
  events.onopen = refresh;           // catch up with anything missed while disconnected
  events.onerror = function () { root.classList.add("stale-view"); };
})();
