// The briefing screen on the room's TV. Without JavaScript the page refreshes itself once a
// minute instead.
// - Live: when the server says the cohort changed (Server-Sent Events), the board is fetched
//   again and swapped in.
// - Fits the screen: a list with more than its panel holds is shown a page at a time, turning
//   every few seconds (a short fade; none when reduced motion is asked for, and slower).
// - Says where it stands: a stream that errs or goes quiet (the server pings every 10 s) shows
//   "connection lost" within 30 s and keeps trying; a link that no longer opens (revoked, or
//   the session ended) says so and stops showing old figures.
(function () {
  "use strict";
  var root = document.getElementById("briefing");
  var banner = document.getElementById("connection");
  if (!root || !banner || !window.EventSource || !window.fetch) return;
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var TURN_EVERY = still ? 20000 : 10000, QUIET_LIMIT = 25000, RETRY_EVERY = 5000;
  var events = null, heard = Date.now(), state = "ok", retry = null, turn = 0;
  var busy = false, again = false;

  function setState(next, words) {
    state = next;
    banner.textContent = words || "";
    banner.hidden = next === "ok";
    banner.className = "connection " + next;
    root.classList.toggle("stale-view", next === "lost");
    root.hidden = next === "gone";
  }
  function lost() {
    if (state === "ok") setState("lost", "Connection lost. Reconnecting\u2026 The figures may be out of date.");
  }
  function gone() {
    if (events) events.close();
    clearTimeout(retry);
    setState("gone", "This screen\u2019s link has been revoked, or its session has ended. Ask a manager for a new link.");
  }

  // Pages: each [data-pages] list is cut into runs of items that fit its panel.
  function paginate() {
    Array.prototype.forEach.call(root.querySelectorAll("[data-pages]"), function (list) {
      var panel = list.closest("section");
      var items = Array.prototype.slice.call(list.children);
      var pages = [[]];
      items.forEach(function (li) { li.hidden = true; });
      items.forEach(function (li) {
        var page = pages[pages.length - 1];
        li.hidden = false;
        if (page.length > 0 && panel.scrollHeight > panel.clientHeight + 1) {
          page.forEach(function (x) { x.hidden = true; });
          pages.push([li]);
        } else {
          page.push(li);
        }
      });
      list.pages = pages;
      show(list);
    });
  }
  function show(list) {
    var pages = list.pages || [[]], at = turn % pages.length;
    pages.forEach(function (page, i) {
      page.forEach(function (li) { li.hidden = i !== at; });
    });
    var heading = list.closest("section").querySelector("h2");
    var mark = heading.querySelector(".page-of");
    if (pages.length > 1) {
      if (!mark) {
        mark = document.createElement("span");
        mark.className = "page-of";
        heading.appendChild(mark);
      }
      mark.textContent = " " + (at + 1) + " of " + pages.length;
    } else if (mark) {
      mark.remove();
    }
  }
  function turnPages() {
    turn += 1;
    Array.prototype.forEach.call(root.querySelectorAll("[data-pages]"), function (list) {
      if (!list.pages || list.pages.length < 2) return;
      list.classList.add("turning");
      setTimeout(function () { show(list); list.classList.remove("turning"); }, still ? 0 : 400);
    });
  }

  function fetchBoard() {
    return fetch(root.getAttribute("data-fragment"), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 404 || r.redirected) return null;
        if (!r.ok) throw new Error(r.status);
        return r.text();
      });
  }
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetchBoard()
      .then(function (html) {
        if (html === null) { gone(); return; }
        root.innerHTML = html;
        paginate();
        heard = Date.now();
        if (state === "lost") setState("ok");
      })
      .catch(lost)
      .then(function () { busy = false; if (again) { again = false; refresh(); } });
  }

  function connect() {
    if (events) events.close();
    events = new EventSource(root.getAttribute("data-events"));
    events.onopen = function () { heard = Date.now(); refresh(); };
    events.addEventListener("change", function () { heard = Date.now(); refresh(); });
    events.addEventListener("ping", function () { heard = Date.now(); });
    events.onerror = function () {
      lost();
      // The browser retries by itself unless the server refused the stream: then ask whether
      // the link still opens, and reconnect if so.
      if (events.readyState === EventSource.CLOSED) later();
    };
  }
  function later() {
    clearTimeout(retry);
    retry = setTimeout(check, RETRY_EVERY);
  }
  function check() {
    if (state === "gone") return;
    fetchBoard()
      .then(function (html) {
        if (html === null) { gone(); return; }
        root.innerHTML = html;
        paginate();
        connect();
      })
      .catch(function () { lost(); later(); });
  }

  setInterval(function () {
    if (state !== "gone" && Date.now() - heard > QUIET_LIMIT) {
      lost();
      if (events) events.close();
      heard = Date.now();
      check();
    }
  }, 5000);
  setInterval(turnPages, TURN_EVERY);
  window.addEventListener("resize", paginate);
  paginate();
  connect();
})();
