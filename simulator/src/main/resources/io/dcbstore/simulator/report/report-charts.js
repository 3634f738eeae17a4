// The charts of report.html, drawn with uPlot (inlined in the page, MIT licence) from the report's
// own JSON (the <script id="report-data"> block, the same document as report.json). Every chart
// zooms by dragging across it (double-click resets), shows the values under the cursor in its legend,
// and hides a series when its legend entry is clicked.
(function () {
  "use strict";
  var report = JSON.parse(document.getElementById("report-data").textContent);
  var COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939"];
  var GOAL = (report.environment && report.environment.max_p99_ms) || 50;
  var timeline = report.timeline || [];
  var seconds = timeline.map(function (p) { return p.second; });
  var lastSecond = seconds.length ? seconds[seconds.length - 1] : 1;
  var outages = ((report.chaos && report.chaos.outages) || []).map(function (o) {
    return [o.down_at_s, o.recovered_at_s < 0 ? lastSecond : o.recovered_at_s, o.server + " " + o.fault];
  });
  var steps = (report.find_max && report.find_max.steps) || [];
  var charts = [];

  function ms(v) {
    if (v == null) return "-";
    if (v === 0) return "0";
    if (v >= 1000) return trim(v / 1000) + " s";
    if (v >= 1) return trim(v) + " ms";
    return trim(v * 1000) + " \u00b5s";
  }
  function trim(v) {
    return String(Number(v.toPrecision(3)));
  }
  function count(v) { return v == null ? "-" : Math.round(v).toLocaleString("en"); }
  function widthOf(el) { return Math.max(400, el.clientWidth - 4); }

  // Round values per decade between the scale's ends (1, 2, 5 over a few decades, 1 and 3 over more,
  // 1 over many): tick values people can read on a log axis, every one labelled.
  function logSplits(u, axis, min, max) {
    var decades = Math.log10(max / min);
    var steps = decades <= 2.5 ? [1, 2, 5] : decades <= 4.5 ? [1, 3] : [1];
    var splits = [];
    for (var exp = Math.floor(Math.log10(min)) - 1; Math.pow(10, exp) <= max; exp++) {
      steps.forEach(function (m) {
        var v = m * Math.pow(10, exp);
        if (v >= min * 0.999 && v <= max * 1.001) splits.push(Number(v.toPrecision(3)));
      });
    }
    return splits;
  }
  function everySplit(u, splits) { return splits; }
  // A log range from the data and the goal, out to whole decades (1-2-5 ticks at both ends).
  function logRange(goal) {
    return function (u, min, max) {
      var lo = Math.min(min == null ? goal : min, goal || Infinity);
      var hi = Math.max(max == null ? goal : max, (goal || 0) * 1.5);
      lo = Math.max(0.01, lo);
      return [Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi)))];
    };
  }

  // Shaded outage windows, then dashed step markers, drawn under the series.
  function timeMarks() {
    return {
      hooks: {
        drawClear: [function (u) {
          var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
          ctx.save();
          ctx.textAlign = "left";
          outages.forEach(function (o) {
            var from = u.valToPos(o[0], "x", true), to = u.valToPos(o[1], "x", true);
            ctx.fillStyle = "rgba(214,39,40,0.12)";
            ctx.fillRect(from, top, Math.max(2, to - from), height);
            ctx.fillStyle = "#b22";
            ctx.font = 11 * devicePixelRatio + "px sans-serif";
            ctx.fillText("outage: " + o[2], from + 4, top + 14 * devicePixelRatio);
          });
          steps.forEach(function (s, i) {
            var x = u.valToPos(s.from_s, "x", true);
            ctx.strokeStyle = s.sustained ? "#2ca02c" : "#d62728";
            ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
            ctx.lineWidth = devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            ctx.setLineDash([]);
            ctx.fillStyle = ctx.strokeStyle;
            ctx.font = 11 * devicePixelRatio + "px sans-serif";
            ctx.textAlign = "left";
            var label = Math.round(s.target_rate) + "/s " + (s.sustained ? "\u2713" : "\u2717");
            ctx.fillText(label, x + 3, top + (12 + 13 * (i % 2)) * devicePixelRatio);
          });
          ctx.restore();
        }]
      }
    };
  }

  // Dashed horizontal lines ({value, colour, label}), labelled at the right end.
  function levels(lines) {
    return {
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          ctx.save();
          lines.forEach(function (line) {
            var y = u.valToPos(line.value, "y", true);
            if (!(y >= u.bbox.top && y <= u.bbox.top + u.bbox.height)) return;
            ctx.strokeStyle = line.colour;
            ctx.fillStyle = line.colour;
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y);
            ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
            // The label at the left end, on a white box so the series under it do not hide it.
            ctx.setLineDash([]);
            ctx.font = "bold " + 11 * devicePixelRatio + "px sans-serif";
            ctx.textAlign = "left";
            var textWidth = ctx.measureText(line.label).width, pad = 3 * devicePixelRatio;
            var boxTop = y - 16 * devicePixelRatio;
            ctx.fillStyle = "rgba(255,255,255,0.85)";
            ctx.fillRect(u.bbox.left + 4 * devicePixelRatio, boxTop, textWidth + 2 * pad, 14 * devicePixelRatio);
            ctx.fillStyle = line.colour;
            ctx.fillText(line.label, u.bbox.left + 4 * devicePixelRatio + pad, y - 5 * devicePixelRatio);
          });
          ctx.restore();
        }]
      }
    };
  }

  function secondsAxis() {
    return { label: "seconds into the run", values: function (u, vals) { return vals.map(function (v) { return v + " s"; }); } };
  }

  function draw(id, opts, data) {
    var el = document.getElementById(id);
    if (!el) return;
    opts.width = widthOf(el);
    opts.height = opts.height || 300;
    opts.cursor = opts.cursor || { drag: { x: true, y: false } };
    charts.push({ el: el, plot: new uPlot(opts, data, el) });
  }

  function series(label, colour, extra) {
    var s = { label: label, stroke: colour, width: 1.5, spanGaps: false };
    for (var k in extra || {}) s[k] = extra[k];
    return s;
  }

  function positive(values) { return values.map(function (v) { return v > 0 ? v : null; }); }
  function column(key) { return timeline.map(function (p) { return p[key]; }); }

  function latencyOverTime() {
    draw("chart-latency", {
      scales: { x: { time: false }, y: { distr: 3, log: 10, range: logRange(GOAL) } },
      axes: [secondsAxis(), { size: 70, splits: logSplits, filter: everySplit, values: function (u, v) { return v.map(ms); } }],
      series: [{ label: "second", value: function (u, v) { return v == null ? "-" : v + " s"; } },
        series("p50", COLOURS[2], { value: function (u, v) { return ms(v); } }),
        series("p90", COLOURS[0], { value: function (u, v) { return ms(v); } }),
        series("p99", COLOURS[3], { width: 2.5, value: function (u, v) { return ms(v); } }),
        series("max", "#999", { value: function (u, v) { return ms(v); } })],
      plugins: [timeMarks(), levels([{ value: GOAL, colour: "#d62728", label: "p99 goal " + ms(GOAL) }])]
    }, [seconds, positive(column("p50_ms")), positive(column("p90_ms")), positive(column("p99_ms")),
      positive(column("max_ms"))]);
  }

  function throughput() {
    var names = Object.keys(report.operations || {});
    var data = [seconds, column("target_rate"), column("finished")];
    var list = [{ label: "second", value: function (u, v) { return v == null ? "-" : v + " s"; } },
      series("target", "#000", { dash: [6, 4], value: function (u, v) { return count(v); } }),
      series("all", "#444", { width: 2.5, value: function (u, v) { return count(v); } })];
    names.forEach(function (name, i) {
      data.push(timeline.map(function (p) { return p.finished_by_operation[name] || 0; }));
      list.push(series(name, COLOURS[i % COLOURS.length], { width: 1, value: function (u, v) { return count(v); } }));
    });
    draw("chart-throughput", {
      scales: { x: { time: false } },
      axes: [secondsAxis(), { size: 60, values: function (u, v) { return v.map(count); } }],
      series: list, plugins: [timeMarks()]
    }, data);
  }

  function errors() {
    var keys = [["errors", COLOURS[1]], ["timeouts", COLOURS[3]], ["conflicts", COLOURS[4]],
      ["backpressure", COLOURS[7]]];
    draw("chart-errors", {
      height: 220,
      scales: { x: { time: false } },
      axes: [secondsAxis(), { size: 60, values: function (u, v) { return v.map(count); } }],
      series: [{ label: "second", value: function (u, v) { return v == null ? "-" : v + " s"; } }].concat(
        keys.map(function (k) { return series(k[0], k[1], { value: function (u, v) { return count(v); } }); })),
      plugins: [timeMarks()]
    }, [seconds].concat(keys.map(function (k) { return column(k[0]); })));
  }

  function lagAndPools() {
    draw("chart-lag", {
      height: 220,
      scales: { x: { time: false }, conn: {} },
      axes: [secondsAxis(), { size: 60, label: "replication lag", values: function (u, v) { return v.map(ms); } },
        { scale: "conn", side: 1, size: 50, grid: { show: false }, label: "connections busy" }],
      series: [{ label: "second", value: function (u, v) { return v == null ? "-" : v + " s"; } },
        series("replication lag", COLOURS[0], { value: function (u, v) { return ms(v); } }),
        series("primary connections busy", COLOURS[1], { scale: "conn", width: 1 }),
        series("replica connections busy", COLOURS[2], { scale: "conn", width: 1 })],
      plugins: [timeMarks()]
    }, [seconds, column("replication_lag_ms"), column("primary_active"), column("replica_active")]);
  }

  // HdrHistogram's latency-by-percentile plot: x is 1/(1 - p) on a log scale, so 90%, 99%, 99.9% ...
  // are equally spaced; every operation and all together on one chart (click a legend entry to hide it).
  function percentiles() {
    var ladder = [];
    var lines = [];
    function add(name, dist) {
      if (!dist || !dist.percentiles.length) return;
      dist.percentiles.forEach(function (p) { if (ladder.indexOf(p) < 0) ladder.push(p); });
      lines.push({ name: name, dist: dist });
    }
    add("all", report.latency_by_percentile);
    Object.keys(report.operations || {}).forEach(function (name) {
      add(name, report.operations[name].latency_by_percentile);
    });
    if (!lines.length) return;
    ladder.sort(function (a, b) { return a - b; });
    var xs = ladder.map(function (p) { return 1 / (1 - p / 100); });
    var data = [xs];
    var list = [{ label: "percentile", value: function (u, v) { return v == null ? "-" : pct(v); } }];
    lines.forEach(function (line, i) {
      data.push(ladder.map(function (p) {
        var at = line.dist.percentiles.indexOf(p);
        return at < 0 ? null : Math.max(0.001, line.dist.ms[at]);
      }));
      list.push(series(line.name, i === 0 ? "#000" : COLOURS[(i - 1) % COLOURS.length],
        { width: i === 0 ? 2.5 : 1.2, points: { show: true, size: 4 }, value: function (u, v) { return ms(v); } }));
    });
    var maxX = xs[xs.length - 1];
    draw("chart-percentiles", {
      height: 340,
      scales: { x: { time: false, distr: 3, log: 10, range: function () { return [1, Math.max(10, maxX)]; } },
        y: { distr: 3, log: 10, range: logRange(GOAL) } },
      axes: [{ label: "percentile (log scale of 1/(1-p))", splits: function () {
        return [1, 2, 4, 10, 100, 1000, 10000, 100000].filter(function (x) { return x <= Math.max(10, maxX); });
      }, filter: everySplit, values: function (u, v) { return v.map(pct); } },
        { size: 70, splits: logSplits, filter: everySplit, values: function (u, v) { return v.map(ms); } }],
      series: list,
      plugins: [levels([{ value: GOAL, colour: "#d62728", label: "p99 goal " + ms(GOAL) }])]
    }, data);
  }
  function pct(x) {
    if (x == null) return "";
    var p = 100 * (1 - 1 / x);
    return (p < 99 ? String(Math.round(p)) : String(Number(p.toPrecision(6)))) + "%";
  }

  // The 10-second windows' p99 as bars (red over 3x the median window's), with the median and the bound.
  function windows() {
    var st = report.steadiness;
    if (!st || !st.windows.length) return;
    var bound = 3 * st.median_p99_ms;
    var mids = st.windows.map(function (w) { return (w.from_s + w.to_s) / 2; });
    var within = st.windows.map(function (w) { return w.p99_ms > bound ? null : w.p99_ms; });
    var over = st.windows.map(function (w) { return w.p99_ms > bound ? w.p99_ms : null; });
    var bars = uPlot.paths.bars({ size: [0.94, Infinity] });
    draw("chart-windows", {
      height: 260,
      scales: { x: { time: false, range: function (u, min, max) {
        return [st.windows[0].from_s, st.windows[st.windows.length - 1].to_s];
      } }, y: { range: function (u, min, max) { return [0, Math.max(bound, max || 0) * 1.15]; } } },
      axes: [secondsAxis(), { size: 70, values: function (u, v) { return v.map(ms); } }],
      series: [{ label: "window", value: function (u, v, si, i) {
        return i == null ? "-" : st.windows[i].from_s + "-" + st.windows[i].to_s + " s";
      } },
        series("p99 of a window", COLOURS[0], { fill: "rgba(31,119,180,0.75)", paths: bars, points: { show: false },
          value: function (u, v) { return ms(v); } }),
        series("over 3x the median", COLOURS[1], { fill: "rgba(214,39,40,0.85)", paths: bars,
          points: { show: false }, value: function (u, v) { return ms(v); } })],
      plugins: [levels([{ value: st.median_p99_ms, colour: "#555", label: "median " + ms(st.median_p99_ms) },
        { value: bound, colour: "#d62728", label: "3x median " + ms(bound) }])]
    }, [mids, within, over]);
  }

  // The find-max steps by rate: each step's p99 against the goal (green sustained, red not), and its p50.
  function findMax() {
    if (!steps.length) return;
    var sorted = steps.slice().sort(function (a, b) { return a.target_rate - b.target_rate; });
    var rates = sorted.map(function (s) { return s.target_rate; });
    var pad = Math.max(1, (rates[rates.length - 1] - rates[0]) * 0.04);
    draw("chart-find-max", {
      height: 260,
      scales: { x: { time: false, range: function () { return [Math.max(0, rates[0] - pad), rates[rates.length - 1] + pad]; } }, y: { distr: 3, log: 10, range: logRange(GOAL) } },
      axes: [{ label: "target rate (req/s)", values: function (u, v) { return v.map(count); } },
        { size: 70, splits: logSplits, filter: everySplit, values: function (u, v) { return v.map(ms); } }],
      series: [{ label: "rate", value: function (u, v) { return v == null ? "-" : count(v) + " req/s"; } },
        series("p99 (sustained)", COLOURS[2], { width: 0, points: { show: true, size: 10, fill: COLOURS[2] },
          value: function (u, v) { return ms(v); } }),
        series("p99 (not sustained)", COLOURS[1], { width: 0, points: { show: true, size: 10, fill: COLOURS[1] },
          value: function (u, v) { return ms(v); } }),
        series("p50", "#888", { value: function (u, v) { return ms(v); } })],
      plugins: [levels([{ value: GOAL, colour: "#d62728", label: "p99 goal " + ms(GOAL) }])]
    }, [rates,
      sorted.map(function (s) { return s.sustained ? Math.max(0.001, s.p99_ms) : null; }),
      sorted.map(function (s) { return s.sustained ? null : Math.max(0.001, s.p99_ms); }),
      sorted.map(function (s) { return Math.max(0.001, s.p50_ms); })]);
  }

  if (timeline.length) {
    latencyOverTime();
    throughput();
    errors();
    lagAndPools();
  }
  percentiles();
  windows();
  findMax();
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.plot.setSize({ width: widthOf(c.el), height: c.plot.height }); });
  });
})();
