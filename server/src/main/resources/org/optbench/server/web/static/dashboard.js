/*
 * The optbench dashboard: the sweeps list, a sweep page and a trial page, drawn from the
 * server's JSON API (/api/...) and kept live by the sweep's Server-Sent Events. User data is only
 * ever written with textContent. Charts are uPlot, served from its WebJar by the same server.
 * Every data request carries the session's key, which a login hands over in the URL's fragment
 * and the page keeps in its origin's storage (no page on another port can read it).
 */
const Dashboard = (() => {
  const KEY_ITEM = "optbench-session-key";
  if (location.hash.startsWith("#key=")) {
    localStorage.setItem(KEY_ITEM, decodeURIComponent(location.hash.slice(5)));
    history.replaceState(null, "", location.pathname + location.search);
  }
  const KEY = localStorage.getItem(KEY_ITEM) || "";

  /** {@code path} with the session key as a query parameter: for event streams and links, which carry no header. */
  function keyed(path) {
    return path + (path.includes("?") ? "&" : "?") + "key=" + encodeURIComponent(KEY);
  }

  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf"];
  const FINISHED = new Set(["completed", "diverged", "stopped", "failed", "cancelled"]);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  }

  function num(x) {
    return typeof x === "number" ? x : x === undefined || x === null ? NaN : Number(x);
  }

  function loss(x) {
    const v = num(x);
    return Number.isFinite(v) ? v.toFixed(4) : "—";
  }

  /** A setting's value as the command line and the report's axes write it: 0.001, 0.0316, 1e-5. */
  function plain(x) {
    const v = num(x);
    if (!Number.isFinite(v)) return "—";
    if (v === 0) return "0";
    const a = Math.abs(v);
    if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(3)));
    const [m, e] = v.toExponential(2).split("e");
    return String(Number(m)) + "e" + Number(e);
  }

  /** A width as the command line prints it: two decimals, >= when its region reaches the grid's end, - when undefined. */
  function width(x, censored) {
    const v = num(x);
    if (!Number.isFinite(v) || censored && v < 0.005) return "-";
    return (censored ? ">=" : "") + v.toFixed(2);
  }

  function enumName(s, prefix) {
    return (s || "").replace(prefix, "").toLowerCase() || "unknown";
  }

  async function api(path) {
    const r = await fetch(path, {credentials: "same-origin", headers: {"X-Optbench-Key": KEY}});
    if (!r.ok) throw new Error((await r.text()) || r.statusText);
    return r.json();
  }

  function fail(err) {
    const main = document.getElementById("main");
    main.replaceChildren(el("p", {class: "error", id: "error", text: String(err.message || err)}));
  }

  function crumbs(...parts) {
    const c = document.getElementById("crumbs");
    c.replaceChildren();
    parts.forEach(([text, href]) => {
      c.append(" / ");
      c.append(href ? el("a", {href, text}) : el("span", {text}));
    });
  }

  function setLive(text, on) {
    const l = document.getElementById("live");
    l.textContent = text;
    l.classList.toggle("on", on);
  }

  /** Colours by optimizer, the same on every chart of a page: in the order of the sorted names. */
  function colours(names) {
    const sorted = [...new Set(names)].sort();
    return name => PALETTE[sorted.indexOf(name) % PALETTE.length];
  }

  /** {@code hex} darkened (f < 0) or lightened (f > 0) by the fraction |f|. */
  function shade(hex, f) {
    return "#" + [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16))
      .map(v => Math.round(f < 0 ? v * (1 + f) : v + (255 - v) * f))
      .map(v => v.toString(16).padStart(2, "0")).join("");
  }

  /**
   * Each trial its own colour: a shade of its optimizer's, from darker for its first trial to
   * lighter for its last, so that curves can be told apart and still read by optimizer.
   */
  function trialColours(trials, colourOf) {
    const ids = new Map();
    [...trials].sort((a, b) => a.index - b.index).forEach(t => {
      if (!ids.has(t.optimizer)) ids.set(t.optimizer, []);
      ids.get(t.optimizer).push(t.id);
    });
    const colour = new Map();
    ids.forEach((list, optimizer) => list.forEach((id, k) => colour.set(id,
      list.length === 1 ? colourOf(optimizer) : shade(colourOf(optimizer), -0.45 + 0.9 * k / (list.length - 1)))));
    return t => colour.get(t.id) || colourOf(t.optimizer);
  }

  function paramsText(params) {
    return Object.entries(params || {}).sort().map(([k, v]) => k + "=" + v).join(" ");
  }

  // ---- charts ----

  /**
   * An axis range fitted to [min, max] with a 5% margin; a single value gets half a decade (log) or
   * 5% either side. The x axis is fitted to its data (uPlot widens a single x value to decades first).
   */
  function fitted(min, max, log) {
    if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) return [min, max];
    if (log) {
      const pad = min === max ? Math.sqrt(10) : Math.pow(max / min, 0.05);
      return [min / pad, max * pad];
    }
    const pad = min === max ? (Math.abs(min) * 0.05 || 1) : (max - min) * 0.05;
    return [min - pad, max + pad];
  }

  /** [smallest, largest] of the values that are set. */
  function extent(xs) {
    let lo = Infinity, hi = -Infinity;
    for (const x of xs) if (x != null) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
    return [lo, hi];
  }

  /** The index of the value nearest to index i that a series has (its points sit at its own x values), or -1. */
  function nearestValue(ys, i) {
    for (let d = 0; d < ys.length; d++) {
      if (i - d >= 0 && ys[i - d] != null) return i - d;
      if (i + d < ys.length && ys[i + d] != null) return i + d;
    }
    return -1;
  }

  /**
   * A line chart of several series, each [xs, ys], redrawn in place when only the data changes.
   * Its container's data-points attribute counts the finite points drawn and data-x-range /
   * data-y-range hold the axes' ranges (what tests read). No legend of dashes: hovering over the
   * chart names the series nearest the pointer and its value in the line below it.
   */
  class LineChart {
    constructor(parent, title, xLabel, yLabel, opts) {
      this.box = el("div", {class: "chart", "data-chart": opts.id});
      this.box.append(el("h3", {text: title}));
      this.area = el("div");
      this.hover = el("div", {class: "hover", text: "hover over a curve to name it"});
      this.box.append(this.area, this.hover);
      parent.append(this.box);
      this.xLabel = xLabel;
      this.yLabel = yLabel;
      this.logX = !!opts.logX;
      this.points = !!opts.points;
      this.key = null;
      this.plot = null;
    }

    /** series: [{label, colour, xs, ys}]; yCap: values above it are left off the scale. */
    draw(series, yCap) {
      const shown = series.filter(s => s.xs.length > 0);
      let count = 0;
      shown.forEach(s => s.ys.forEach(y => { if (Number.isFinite(y)) count++; }));
      this.box.setAttribute("data-points", String(count));
      if (shown.length === 0) {
        if (this.plot) { this.plot.destroy(); this.plot = null; this.key = null; }
        this.area.replaceChildren(el("div", {class: "empty", text: "no points yet"}));
        return;
      }
      const data = uPlot.join(shown.map(s => [s.xs, s.ys.map(y => Number.isFinite(y) && (yCap === undefined || y <= yCap) ? y : null)]));
      const key = shown.map(s => s.label).join("|");
      if (this.plot && key === this.key) {
        this.plot.setData(data);
        return;
      }
      if (this.plot) this.plot.destroy();
      this.area.replaceChildren();
      this.key = key;
      const logX = this.logX;
      const box = this.box;
      const hover = this.hover;
      const xLabel = this.xLabel;
      const yLabel = this.yLabel;
      this.plot = new uPlot({
        width: 580, height: 300,
        legend: {show: false},
        focus: {alpha: 0.3},
        cursor: {focus: {prox: 24}},
        scales: {x: {time: false, distr: logX ? 3 : 1, range: u => fitted(...extent(u.data[0]), logX)},
          y: {range: (u, min, max) => fitted(min, max, false)}},
        axes: [{label: this.xLabel, values: logX ? (u, vals) => vals.map(v => v == null ? "" : plain(v)) : undefined},
          {label: this.yLabel}],
        hooks: {
          setScale: [(u, key) => box.setAttribute("data-" + key + "-range", u.scales[key].min + " " + u.scales[key].max)],
          setCursor: [u => {
            const i = u.cursor.idx;
            if (i == null || u.cursor.left == null || u.cursor.left < 0) return;
            const y = u.posToVal(u.cursor.top, "y");
            let best = null;
            for (let k = 1; k < u.series.length; k++) {
              const j = nearestValue(u.data[k], i);
              if (j >= 0 && (best === null || Math.abs(u.data[k][j] - y) < Math.abs(u.data[best.k][best.j] - y))) best = {k, j};
            }
            if (best !== null) {
              hover.textContent = u.series[best.k].label + ": " + xLabel + " " + plain(u.data[0][best.j]) + ", " + yLabel + " "
                + loss(u.data[best.k][best.j]);
            }
          }],
        },
        series: [{label: this.xLabel}].concat(shown.map(s => ({
          label: s.label, stroke: s.colour, width: 1.5, spanGaps: true,
          paths: s.markersOnly ? () => null : undefined,
          points: {show: this.points || s.markersOnly || s.xs.length <= 30, size: s.markersOnly ? 9 : 6,
            fill: s.markersOnly ? "#fff" : s.colour}}))),
      }, data, this.area);
    }
  }

  // ---- pages ----

  async function sweepsPage() {
    crumbs(["sweeps"]);
    document.title = "optbench: sweeps";
    const list = await api("/api/sweeps");
    const main = document.getElementById("main");
    main.replaceChildren(el("h1", {text: "Sweeps"}));
    const sweeps = list.sweeps || [];
    if (sweeps.length === 0) {
      main.append(el("p", {class: "muted", id: "no-sweeps", text: "No sweeps yet. Submit one with optbench sweep submit."}));
      return;
    }
    const head = el("tr", {}, ...["sweep", "owner", "state", "trials", "completed", "running", "pending", "diverged",
      "failed", "created"].map((h, i) => el("th", {class: i < 3 ? "l" : "", text: h})));
    const body = el("tbody");
    for (const s of sweeps) {
      const state = enumName(s.state, "SWEEP_STATE_");
      body.append(el("tr", {"data-sweep": s.id, "data-owner": s.owner},
        el("td", {class: "l"}, el("a", {href: "/sweeps/" + encodeURIComponent(s.id), text: s.name || s.id})),
        el("td", {class: "l", text: s.owner}),
        el("td", {class: "l"}, el("span", {class: "state " + state, text: state})),
        el("td", {text: String(s.trialsTotal)}), el("td", {text: String(s.trialsCompleted)}),
        el("td", {text: String(s.trialsRunning)}), el("td", {text: String(s.trialsPending)}),
        el("td", {text: String(s.trialsDiverged)}), el("td", {text: String(s.trialsFailed)}),
        el("td", {text: (s.createdAt || "").replace("T", " ").replace(/\..*/, "")})));
    }
    main.append(el("table", {id: "sweeps"}, el("thead", {}, head), body));
  }

  /** A sweep as the page knows it: its trials, their curves, and the latest results. */
  class SweepView {
    constructor(id) {
      this.id = id;
      this.trials = new Map();
      this.train = new Map();
      this.evals = new Map();
      this.results = null;
      this.sweep = null;
      this.redrawTimer = null;
      this.refreshTimer = null;
    }

    absorbResults(r) {
      this.results = r;
      this.sweep = r.sweep;
      for (const t of r.trials || []) {
        this.trials.set(t.id, t);
        this.mergeCurve(this.train, t.id, t.steps || [], true);
        this.mergeCurve(this.evals, t.id, t.evals || [], true);
      }
    }

    /** Adds metrics to a trial's curve: fetched history replaces the older part, live points extend it. */
    mergeCurve(map, trialId, metrics, history) {
      const old = map.get(trialId) || {xs: [], ys: []};
      let xs = [], ys = [];
      if (history) {
        metrics.forEach(m => { xs.push(m.step); ys.push(num(m.loss)); });
        const last = xs.length ? xs[xs.length - 1] : -1;
        old.xs.forEach((x, i) => { if (x > last) { xs.push(x); ys.push(old.ys[i]); } });
      } else {
        xs = old.xs.slice(); ys = old.ys.slice();
        const last = xs.length ? xs[xs.length - 1] : -1;
        metrics.forEach(m => { if (m.step > last) { xs.push(m.step); ys.push(num(m.loss)); } });
      }
      map.set(trialId, {xs, ys});
    }

    trialState(t) {
      return enumName(t.state, "TRIAL_STATE_");
    }

    series(map, colourOfTrial) {
      return [...this.trials.values()].sort((a, b) => a.index - b.index).map(t => {
        const c = map.get(t.id) || {xs: [], ys: []};
        return {label: "#" + t.index + " " + t.optimizer + " " + paramsText(t.params) + " s" + t.seed,
          colour: colourOfTrial(t), xs: c.xs, ys: c.ys};
      });
    }

    /** Trials by state, from the trials the page holds: what the header counts, from the same events as the rows. */
    counts() {
      const n = {completed: 0, running: 0, pending: 0, diverged: 0, failed: 0, stopped: 0, cancelled: 0};
      for (const t of this.trials.values()) {
        const s = this.trialState(t);
        n[s] = (n[s] || 0) + 1;
      }
      return n;
    }

    /** The top of the loss scale: a little above the highest starting loss, so divergence does not squash the rest. */
    yCap() {
      let cap = -Infinity;
      for (const c of this.train.values()) if (c.ys.length && Number.isFinite(c.ys[0])) cap = Math.max(cap, c.ys[0]);
      return Number.isFinite(cap) ? cap * 1.1 : undefined;
    }
  }

  function connect(view, handlers) {
    const es = new EventSource(keyed("/api/sweeps/" + encodeURIComponent(view.id) + "/events"));
    es.addEventListener("open", () => setLive("live", true));
    es.addEventListener("error", () => setLive("reconnecting…", false));
    const on = (name, f) => es.addEventListener(name, e => f(JSON.parse(e.data)));
    on("resync", e => {
      view.sweep = e.resync.sweep;
      (e.resync.trials || []).forEach(t => view.trials.set(t.id, Object.assign(view.trials.get(t.id) || {}, t)));
      if (Number(e.resync.dropped) > 0) handlers.refresh();
      handlers.changed();
    });
    on("trial", e => {
      const t = e.trial;
      view.trials.set(t.id, Object.assign(view.trials.get(t.id) || {}, t));
      if (FINISHED.has(view.trialState(t))) handlers.refresh();
      handlers.changed();
    });
    on("steps", e => {
      view.mergeCurve(view.train, e.steps.trialId, e.steps.metrics || [], false);
      const t = view.trials.get(e.steps.trialId);
      const last = (e.steps.metrics || []).slice(-1)[0];
      if (t && last) { t.lastStep = last.step; t.lastTrainLoss = last.loss; }
      handlers.changed();
    });
    on("evals", e => {
      view.mergeCurve(view.evals, e.evals.trialId, e.evals.metrics || [], false);
      handlers.changed();
    });
    on("done", e => {
      view.sweep = e.done;
      es.close();
      setLive("finished: " + enumName(e.done.state, "SWEEP_STATE_"), false);
      handlers.refresh();
      handlers.changed();
    });
    on("failure", message => {
      es.close();
      setLive("stopped: " + message, false);
    });
    return es;
  }

  /** Calls f at most every ms milliseconds, the last call always honoured. */
  function coalesce(f, ms) {
    let timer = null;
    return () => {
      if (timer) return;
      timer = setTimeout(() => { timer = null; f(); }, ms);
    };
  }

  async function sweepPage() {
    const id = decodeURIComponent(location.pathname.split("/")[2]);
    const view = new SweepView(id);
    const main = document.getElementById("main");
    const header = el("div");
    const claims = el("div");
    const optimizers = el("div");
    const charts = el("div", {class: "charts"});
    const trialsBox = el("div");
    main.replaceChildren(header, claims, el("h2", {text: "Curves"}), charts, optimizers, trialsBox);
    const trainChart = new LineChart(charts, "Training loss (live)", "step", "loss", {id: "train"});
    const evalChart = new LineChart(charts, "Validation loss (live)", "step", "loss", {id: "evals"});
    const lrChart = new LineChart(charts, "Final loss vs learning rate", "learning rate", "final loss", {id: "loss-vs-lr", logX: true, points: true});
    const relChart = new LineChart(charts, "Final loss vs LR / best LR", "LR / best LR", "final loss", {id: "loss-vs-relative-lr", logX: true, points: true});

    const redraw = () => {
      const colourOf = colours([...view.trials.values()].map(t => t.optimizer));
      const colourOfTrial = trialColours(view.trials.values(), colourOf);
      drawSweepHeader(header, view);
      trainChart.draw(view.series(view.train, colourOfTrial), view.yCap());
      evalChart.draw(view.series(view.evals, colourOfTrial), view.yCap());
      const lr = (view.results && view.results.optimizers || []).filter(o => o.axis === "lr" || o.axis === "");
      lrChart.draw(lossAlongLr(lr, colourOf, o => 1));
      relChart.draw(lossAlongLr(lr.filter(o => Number.isFinite(num(o.bestLr))), colourOf, o => num(o.bestLr)));
      drawClaims(claims, view.results);
      drawOptimizers(optimizers, view, colourOf);
      drawTrials(trialsBox, view, colourOfTrial);
    };
    const changed = coalesce(redraw, 250);
    const refresh = coalesce(async () => {
      try {
        view.absorbResults(await api("/api/sweeps/" + encodeURIComponent(id)));
        changed();
      } catch (err) {
        setLive("refresh failed: " + err.message, false);
      }
    }, 1000);
    view.absorbResults(await api("/api/sweeps/" + encodeURIComponent(id)));
    crumbs([view.sweep.name || id, null]);
    document.title = "optbench: " + (view.sweep.name || id);
    redraw();
    connect(view, {changed, refresh});
  }

  /**
   * Final loss along the learning rate (divided by scale(o)), one series per optimizer; points where
   * every seed diverged leave its line and are drawn as markers on a "diverged" series at the top of
   * the finite losses, as in the report, so that they do not squash the rest of the plot.
   */
  function lossAlongLr(optimizers, colourOf, scale) {
    const allDiverged = p => Number(p.diverged) > 0 && Number(p.diverged) >= Number(p.seeds);
    let top = -Infinity;
    optimizers.forEach(o => (o.curve || []).forEach(p => {
      if (!allDiverged(p) && Number.isFinite(num(p.loss))) top = Math.max(top, num(p.loss));
    }));
    const series = optimizers.map(o => {
      const kept = (o.curve || []).filter(p => !allDiverged(p));
      return {label: o.optimizer, colour: colourOf(o.optimizer), xs: kept.map(p => num(p.lr) / scale(o)),
        ys: kept.map(p => num(p.loss))};
    });
    const diverged = [];
    optimizers.forEach(o => (o.curve || []).filter(allDiverged).forEach(p => diverged.push(num(p.lr) / scale(o))));
    if (diverged.length && Number.isFinite(top)) {
      diverged.sort((a, b) => a - b);
      series.push({label: "diverged", colour: "#000", xs: diverged, ys: diverged.map(() => top), markersOnly: true});
    }
    return series;
  }

  function drawSweepHeader(box, view) {
    const s = view.sweep;
    const state = enumName(s.state, "SWEEP_STATE_");
    const counts = view.counts();
    box.replaceChildren(
      el("h1", {text: "Sweep " + (s.name || s.id)}),
      el("p", {class: "counts"},
        el("span", {}, "state ", el("b", {class: "state " + state, id: "sweep-state", text: state})),
        el("span", {text: "id " + s.id}), el("span", {text: "owner " + s.owner}),
        el("span", {id: "sweep-counts", text: counts.completed + " completed, " + counts.running + " running, "
          + counts.pending + " pending, " + counts.diverged + " diverged, " + counts.failed + " failed of "
          + view.trials.size}),
        el("a", {href: keyed("/sweeps/" + encodeURIComponent(s.id) + "/report"), id: "report-link", text: "HTML report"})));
  }

  function drawClaims(box, results) {
    const claims = results && results.claims || [];
    if (claims.length === 0) { box.replaceChildren(); return; }
    const body = el("tbody");
    claims.forEach(c => body.append(el("tr", {"data-claim": c.id},
      el("td", {class: "l", text: c.id}), el("td", {class: "l " + c.verdict, text: c.verdict}),
      el("td", {class: "l", text: c.type + " " + c.metric}), el("td", {class: "l", text: c.a + " vs " + c.b}),
      el("td", {text: loss(c.estimate)}), el("td", {text: "[" + loss(c.ciLow) + ", " + loss(c.ciHigh) + "]"}),
      el("td", {text: pValue(c.pHolm)}), el("td", {class: "l", text: c.reason || ""}))));
    box.replaceChildren(el("h2", {text: "Claims"}), el("table", {id: "claims"},
      el("thead", {}, el("tr", {}, ...["claim", "verdict", "test", "arms", "a − b", "95% interval", "Holm p", "reason"]
        .map((h, i) => el("th", {class: i < 4 || i === 7 ? "l" : "", text: h})))), body));
  }

  /** A p-value to three significant digits; a dash when there is none. */
  function pValue(p) {
    const x = Number(p);
    return p === undefined || p === null || !isFinite(x) ? "–" : x.toPrecision(3);
  }

  /**
   * The optimizers' table: the analysis from the latest results, and each optimizer's finished and
   * diverged trials counted from the trials the page holds, so they move with the trial rows.
   */
  function drawOptimizers(box, view, colourOf) {
    const results = view.results;
    const rows = results && results.optimizers || [];
    const finished = o => [...view.trials.values()].filter(t => t.optimizer === o.optimizer
      && FINISHED.has(view.trialState(t)) && view.trialState(t) !== "cancelled");
    const diverged = o => finished(o).filter(t => view.trialState(t) === "diverged").length;
    if (rows.length === 0) { box.replaceChildren(); return; }
    const body = el("tbody");
    rows.forEach(o => body.append(el("tr", {},
      el("td", {class: "l"}, el("span", {class: "swatch", style: "background:" + colourOf(o.optimizer)}), o.optimizer),
      el("td", {text: String(finished(o).length)}), el("td", {text: loss(o.bestLoss)}),
      el("td", {text: (o.axis || "lr") + "=" + (o.bestValue || plain(o.bestLr))}),
      el("td", {class: "width", text: width(o.width1pct, o.width1pctCensored)}), el("td", {text: String(diverged(o))}))));
    box.replaceChildren(el("h2", {text: "Optimizers"}), el("table", {id: "optimizers"},
      el("thead", {}, el("tr", {}, ...["optimizer", "trials", "best loss", "best at", "width 1%", "diverged"].map((h, i) =>
        el("th", {class: i === 0 ? "l" : "", text: h})))), body));
  }

  function drawTrials(box, view, colourOfTrial) {
    const body = el("tbody");
    [...view.trials.values()].sort((a, b) => a.index - b.index).forEach(t => {
      const state = view.trialState(t);
      body.append(el("tr", {"data-trial": t.id, "data-state": state},
        el("td", {text: String(t.index)}),
        el("td", {class: "l"}, el("span", {class: "swatch", style: "background:" + colourOfTrial(t)}),
          el("a", {href: "/sweeps/" + encodeURIComponent(view.id) + "/trials/" + encodeURIComponent(t.id), text: t.optimizer})),
        el("td", {class: "l", text: paramsText(t.params)}), el("td", {text: String(t.seed)}),
        el("td", {class: "l"}, el("span", {class: "state " + state, text: state})),
        el("td", {class: "step", text: String(t.lastStep || 0)}), el("td", {text: loss(t.lastTrainLoss)}),
        el("td", {text: loss(t.finalValLoss)}),
        el("td", {text: t.divergedAtStep !== undefined && t.divergedAtStep !== null ? String(t.divergedAtStep) : ""})));
    });
    box.replaceChildren(el("h2", {text: "Trials"}), el("table", {id: "trials"},
      el("thead", {}, el("tr", {}, ...["#", "optimizer", "settings", "seed", "state", "step", "train loss",
        "final val loss", "diverged at"].map((h, i) => el("th", {class: i === 1 || i === 2 || i === 4 ? "l" : "", text: h})))),
      body));
  }

  async function trialPage() {
    const parts = location.pathname.split("/");
    const sweepId = decodeURIComponent(parts[2]);
    const trialId = decodeURIComponent(parts[4]);
    const view = new SweepView(sweepId);
    const main = document.getElementById("main");
    const header = el("div");
    const charts = el("div", {class: "charts"});
    const config = el("div");
    const logBox = el("pre", {class: "log", id: "log"});
    main.replaceChildren(header, charts, config, el("h2", {text: "Log (tail)"}), logBox);
    const chart = new LineChart(charts, "Training and validation loss (live)", "step", "loss", {id: "trial"});
    const loadLog = async () => {
      const r = await fetch("/api/sweeps/" + encodeURIComponent(sweepId) + "/trials/" + encodeURIComponent(trialId) + "/log",
        {credentials: "same-origin", headers: {"X-Optbench-Key": KEY}});
      logBox.textContent = await r.text();
      logBox.scrollTop = logBox.scrollHeight;
    };
    const redraw = () => {
      const t = view.trials.get(trialId);
      if (!t) { fail(new Error("no trial " + trialId + " in sweep " + sweepId)); return; }
      const state = view.trialState(t);
      header.replaceChildren(el("h1", {text: "Trial #" + t.index + " " + t.optimizer + " " + paramsText(t.params)}),
        el("p", {class: "counts"}, el("span", {}, "state ", el("b", {class: "state " + state, id: "trial-state", text: state})),
          el("span", {text: "step " + (t.lastStep || 0)}), el("span", {text: "final val loss " + loss(t.finalValLoss)}),
          el("span", {text: "attempts " + t.attempts}),
          t.error ? el("span", {class: "error", text: t.error}) : null));
      const tr = view.train.get(trialId) || {xs: [], ys: []};
      const ev = view.evals.get(trialId) || {xs: [], ys: []};
      chart.draw([{label: "train", colour: PALETTE[0], xs: tr.xs, ys: tr.ys},
        {label: "validation", colour: PALETTE[1], xs: ev.xs, ys: ev.ys}], view.yCap());
      const dl = el("dl", {class: "config"});
      const add = (k, v) => { dl.append(el("dt", {text: k}), el("dd", {text: v})); };
      add("trial", t.id); add("optimizer", t.optimizer); add("seed", String(t.seed));
      Object.entries(t.params || {}).sort().forEach(([k, v]) => add(k, v));
      if (t.executorId) add("executor id", t.executorId);
      if (t.resultJson) {
        try {
          const result = JSON.parse(t.resultJson);
          Object.entries(result.config || {}).sort().forEach(([k, v]) => add("config." + k, JSON.stringify(v)));
        } catch (e) { add("result", t.resultJson); }
      }
      config.replaceChildren(el("h2", {text: "Settings"}), dl);
    };
    const changed = coalesce(redraw, 250);
    const refresh = coalesce(async () => {
      try {
        view.absorbResults(await api("/api/sweeps/" + encodeURIComponent(sweepId)));
        changed();
        await loadLog();
      } catch (err) {
        setLive("refresh failed: " + err.message, false);
      }
    }, 1000);
    view.absorbResults(await api("/api/sweeps/" + encodeURIComponent(sweepId)));
    crumbs([view.sweep.name || sweepId, "/sweeps/" + encodeURIComponent(sweepId)], ["trial " + trialId, null]);
    document.title = "optbench: trial " + trialId;
    redraw();
    await loadLog();
    connect(view, {changed, refresh});
  }

  /** The header's Log out button: a POST with the session key, which no other site can send. */
  function logoutButton() {
    const form = el("form", {method: "post", action: "/logout", class: "logout", id: "logout"},
      el("input", {type: "hidden", name: "key", value: KEY}), el("button", {type: "submit", text: "Log out"}));
    form.addEventListener("submit", () => localStorage.removeItem(KEY_ITEM));
    document.querySelector("header").append(form);
  }

  function start() {
    logoutButton();
    const page = document.body.getAttribute("data-page");
    const run = page === "sweeps" ? sweepsPage : page === "sweep" ? sweepPage : trialPage;
    run().catch(fail);
  }

  return {start};
})();

document.addEventListener("DOMContentLoaded", Dashboard.start);
