// Live progress of a patent import on its admin page: polls the job's JSON
// endpoint until the Celery task finishes, then reloads to show the counts and
// the error report link.
(function () {
  "use strict";
  function poll(bar) {
    fetch(bar.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.value = job.percent;
        var label = bar.parentNode.querySelector(".import-progress-label");
        if (label) { label.textContent = job.percent + "% · " + job.status_display; }
        if (job.done) { window.location.reload(); } else { setTimeout(function () { poll(bar); }, 1000); }
      })
      .catch(function () { setTimeout(function () { poll(bar); }, 5000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var bar = document.querySelector("progress[data-progress-url]");
    if (!bar || bar.value >= 100) { return; }
    var status = document.querySelector(".field-status .readonly");
    if (status && /succeeded|failed|成功|失败/i.test(status.textContent)) { return; }
    poll(bar);
  });
})();
