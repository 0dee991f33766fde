// Live price and time left of a trading session (polling; no inline script: CSP).
(function () {
  "use strict";
  var panel = document.getElementById("live");
  if (!panel) return;
  var url = panel.getAttribute("data-url");
  var deadline = null;
  var fmt = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2 });

  function text(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = value;
  }

  function tick() {
    if (deadline === null) return;
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var h = Math.floor(left / 3600);
    var m = Math.floor((left % 3600) / 60);
    var s = left % 60;
    text("time-left", (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0"));
  }

  function apply(state) {
    text("current-price", state.current_price === null ? "—" : fmt.format(Number(state.current_price)));
    text("minimum-next", state.minimum_next === null ? "—" : fmt.format(Number(state.minimum_next)));
    text("accepted-bids", String(state.accepted_bids));
    text("session-status", state.status_label);
    panel.setAttribute("data-open", state.open ? "1" : "0");
    deadline = state.seconds_left === null ? null : Date.now() + state.seconds_left * 1000;
    if (deadline === null) text("time-left", "—");
    tick();
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state) apply(state); })
      .catch(function () {});
  }

  var interval = Number(panel.getAttribute("data-interval") || "2000");
  setInterval(poll, interval);
  setInterval(tick, 1000);
  poll();
})();
