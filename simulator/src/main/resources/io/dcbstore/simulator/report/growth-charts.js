// The curves of growth.html, drawn with uPlot (inlined in the page, MIT licence) from the report's
// own JSON (the <script id="growth-data"> block, the same document as growth.json): each figure
// against the number of events in the log, on a logarithmic axis.
(function () {
  "use strict";
  var report = JSON.parse(document.getElementById("growth-data").textContent);
  var rows = report.rows || [];
  var COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"];
  var events = rows.map(function (r) { return r.events; });
  function column(key, scale) {
    return rows.map(function (r) {
      var v = typeof key === "function" ? key(r) : r[key];
      return v == null || v !== v ? null : v * (scale || 1);
    });
  }
  function label(v) {
    return v >= 1e6 ? (v / 1e6) + "M" : v >= 1e3 ? (v / 1e3) + "K" : String(v);
  }
  function draw(id, title, unit, series) {
    var el = document.getElementById(id);
    if (!el || events.length === 0) return;
    var data = [events];
    var defs = [{ label: "events", value: function (u, v) { return v == null ? "-" : label(v); } }];
    series.forEach(function (s, i) {
      data.push(column(s[1], s[2]));
      defs.push({ label: s[0], stroke: COLOURS[i % COLOURS.length], width: 2, points: { size: 7 } });
    });
    new uPlot({
      title: title,
      width: Math.max(400, el.clientWidth - 4),
      height: 280,
      scales: {
        x: { time: false, distr: 3, range: function (u, min, max) { return [min / 1.5, max * 1.5]; } },
        y: { range: function (u, min, max) { return [0, (max || 1) * 1.15]; } }
      },
      axes: [
        {
          label: "events in the log",
          // A tick at each size measured, labelled as the table names it.
          splits: function () { return events; },
          // uPlot's log axes label only powers of ten by default: keep every size's label.
          filter: function (u, splits) { return splits; },
          values: function (u, splits) { return splits.map(function (v) { return v == null ? "" : label(v); }); }
        },
        { label: unit }
      ],
      series: defs
    }, data, el);
  }
  draw("chart-latency", "Latency at fixed concurrency", "ms", [
    ["append p99", "append_p99_ms"], ["append p50", "append_p50_ms"],
    ["query p99", "query_p99_ms"], ["query p50", "query_p50_ms"]]);
  draw("chart-throughput", "Store throughput at fixed concurrency", "operations/s", [
    ["conditional appends/s", "append_per_second"], ["boundary queries/s", "query_per_second"]]);
  draw("chart-find-max", "Simulator find-max", "requests/s", [
    ["every query reads", "find_max_reading"], ["queries within the staleness bound", "find_max_eventual"]]);
  draw("chart-memory", "JVM heap after full collections, peak", "MB", [
    ["heap", "heap_after_full_gc_bytes", 1e-6]]);
  draw("chart-bytes", "Events table and its indexes per event", "bytes", [
    ["table", function (r) { return r.table_bytes / r.events; }],
    ["indexes", function (r) { return r.index_bytes / r.events; }]]);
})();
