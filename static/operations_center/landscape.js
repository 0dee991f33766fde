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
    yAxis: [{type: "value"}, {type: "value"}],
    series: [{name: data.trend.region_name, type: "bar", data: data.trend.region},
             {name: data.trend.national_name, type: "line", yAxisIndex: 1, data: data.trend.national}]});
  chart("chart-city", {title: {text: L.by_city}, tooltip: {},
    xAxis: {type: "category", data: data.city.map(d => d.name), axisLabel: {rotate: 30}}, yAxis: {type: "value"},
    series: [{type: "bar", data: data.city}]});
  const pie = (id, title, rows) => chart(id, {title: {text: title}, tooltip: {},
    series: [{type: "pie", radius: "60%", data: rows}]});
  pie("chart-kind", L.by_applicant_kind, data.kind);
  pie("chart-type", L.by_patent_type, data.type);
  pie("chart-status", L.by_legal_status, data.status);
  chart("chart-ipc", {title: {text: L.ipc_composition}, tooltip: {formatter: p => p.data.name + " " + p.data.title + ": " + p.data.value},
    xAxis: {type: "category", data: data.ipc.map(d => d.name)}, yAxis: {type: "value"}, series: [{type: "bar", data: data.ipc}]});
  const cats = ["enterprise", "university", "institute", "individual", "government", "unknown", "node"];
  const labels = {enterprise: L.enterprise, university: L.university, institute: L.research_institute,
    individual: L.individual, government: L.government, unknown: L.unknown, node: L.chain_node};
  chart("chart-graph", {tooltip: {}, legend: {data: cats.map(c => labels[c])},
    series: [{type: "graph", layout: "force", roam: true, force: {repulsion: 160, edgeLength: 90}, label: {show: true},
      categories: cats.map(c => ({name: labels[c]})),
      data: data.graph.nodes.map(n => ({id: n.id, name: n.name, value: n.value, category: cats.indexOf(n.category),
        symbolSize: n.category === "node" ? 28 : 10 + Math.min(30, Math.sqrt(n.value) * 4)})),
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
