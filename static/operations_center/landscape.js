// Landscape charts: data and translated labels come from json_script blocks, so the
// page needs no inline script (the Content Security Policy forbids it).
(function () {
  const data = JSON.parse(document.getElementById("nav-charts").textContent);
  const L = JSON.parse(document.getElementById("nav-labels").textContent);
  const go = (p) => { if (p.data && p.data.url) window.location = p.data.url; };
  function chart(id, option) {
    const el = document.getElementById(id);
    const c = echarts.init(el, null, {renderer: "svg"});
    c.setOption(option); c.on("click", go); el.dataset.ready = "1"; return c;
  }
  chart("chart-trend", {title: {text: L.filing_trend}, tooltip: {trigger: "axis"},
    legend: {top: 24, data: [data.trend.region_name, data.trend.national_name]},
    xAxis: {type: "category", data: data.trend.years},
    yAxis: [{type: "value", minInterval: 1}, {type: "value", minInterval: 1}],
    series: [{name: data.trend.region_name, type: "bar", data: data.trend.region},
             {name: data.trend.national_name, type: "line", yAxisIndex: 1, data: data.trend.national}]});
  chart("chart-city", {title: {text: L.by_city}, tooltip: {},
    xAxis: {type: "category", data: data.city.map(d => d.name), axisLabel: {rotate: 30}}, yAxis: {type: "value", minInterval: 1},
    series: [{type: "bar", data: data.city}]});
  // A categorical palette: each slice its own colour, the same order on every pie.
  const PALETTE = ["#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2",
    "#db2777", "#65a30d", "#475569", "#ea580c"];
  const pie = (id, title, rows) => chart(id, {title: {text: title}, color: PALETTE,
    tooltip: {formatter: "{b}: {c} ({d}%)"}, legend: {bottom: 0, type: "scroll"},
    series: [{type: "pie", radius: ["30%", "58%"], center: ["50%", "50%"],
      label: {formatter: "{b}\n{d}%"}, labelLayout: {hideOverlap: true},
      data: rows.map((r, i) => ({...r, itemStyle: {color: PALETTE[i % PALETTE.length]}}))}]});
  pie("chart-kind", L.by_applicant_kind, data.kind);
  pie("chart-type", L.by_patent_type, data.type);
  pie("chart-status", L.by_legal_status, data.status);
  chart("chart-ipc", {title: {text: L.ipc_composition}, tooltip: {formatter: p => p.data.name + " " + p.data.title + ": " + p.data.value},
    xAxis: {type: "category", data: data.ipc.map(d => d.name)}, yAxis: {type: "value", minInterval: 1}, series: [{type: "bar", data: data.ipc}]});
  const cats = ["enterprise", "university", "institute", "individual", "government", "unknown", "node"];
  const labels = {enterprise: L.enterprise, university: L.university, institute: L.research_institute,
    individual: L.individual, government: L.government, unknown: L.unknown, node: L.chain_node};
  // Labels for the chain's nodes and the ten largest holders; the rest on hover,
  // sizes by degree (patents), overlapping labels hidden, so every label reads.
  const ranked = data.graph.nodes.filter(n => n.category !== "node").map(n => n.value).sort((a, b) => b - a);
  const labelFloor = ranked.length > 10 ? ranked[9] : 0;
  chart("chart-graph", {color: PALETTE, tooltip: {formatter: p => p.dataType === "node" ? p.data.name + ": " + p.data.value : ""},
    legend: {data: cats.map(c => labels[c]), bottom: 0, type: "scroll"},
    series: [{type: "graph", layout: "force", roam: true, draggable: true,
      force: {repulsion: 420, edgeLength: [60, 180], gravity: 0.08},
      labelLayout: {hideOverlap: true}, emphasis: {focus: "adjacency", label: {show: true}},
      categories: cats.map(c => ({name: labels[c]})),
      data: data.graph.nodes.map(n => ({id: n.id, name: n.name, value: n.value, category: cats.indexOf(n.category),
        label: {show: n.category === "node" || n.value >= labelFloor, fontSize: n.category === "node" ? 13 : 11,
          fontWeight: n.category === "node" ? "bold" : "normal"},
        symbolSize: n.category === "node" ? 30 : 8 + Math.min(30, Math.sqrt(n.value) * 4)})),
      links: data.graph.links.map(l => ({source: l.source, target: l.target, value: l.value,
        lineStyle: l.kind === "co" ? {color: "#d97706", width: 1 + Math.min(6, l.value)} : {opacity: 0.3}}))}]});
  const status = document.getElementById("run-status");
  const pending = (s) => s === "queued" || s === "running";
  if (status && pending(status.dataset.status)) {
    const poll = () => fetch(status.dataset.url).then(r => r.json()).then(s => {
      status.querySelector(".pct").textContent = s.progress;
      status.querySelector(".n").textContent = s.tags_written;
      if (pending(s.status)) setTimeout(poll, 2000); else window.location.reload();
    });
    setTimeout(poll, 2000);
  }
})();
