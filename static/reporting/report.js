// Polls a report's generation progress until it is done or failed, then reloads
// so the download links appear.
(function () {
  const state = document.getElementById("render-state");
  if (!state) return;
  const bar = document.getElementById("render-progress");
  const active = (s) => s === "queued" || s === "running";
  if (!active(state.dataset.state)) return;
  const tick = async () => {
    try {
      const response = await fetch(state.dataset.progressUrl, { credentials: "same-origin" });
      const data = await response.json();
      bar.value = data.progress;
      if (!active(data.state)) { window.location.reload(); return; }
    } catch (e) { /* keep polling through a transient failure */ }
    setTimeout(tick, 1500);
  };
  setTimeout(tick, 1000);
})();
