/**
 * The fleet page's script (plain ES2020, served as `/fleet.js`). It reads the
 * collector's JSON routes with the token from sessionStorage (when one is set),
 * draws the latency and device charts with uPlot and the drift heat map on a canvas.
 */
export const FLEET_PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var TOKEN_KEY = 'edgewatch-token';
  var $ = function (id) { return document.getElementById(id); };
  var charts = {};
  var timer;

  function setStatus(text, isError) {
    var s = $('status');
    s.textContent = text;
    s.className = isError ? 'error' : '';
  }

  function api(path) {
    var headers = {};
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch(path, { headers: headers }).then(function (r) {
      if (r.status === 401) {
        var e = new Error('this collector needs a token: enter it above');
        e.auth = true;
        throw e;
      }
      if (!r.ok) return r.json().then(function (b) { throw new Error(b.error || ('HTTP ' + r.status)); });
      return r.json();
    });
  }

  function cell(tr, text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  function fmt(x, digits) {
    if (x === null || x === undefined || !isFinite(x)) return '–';
    if (Math.abs(x) > 0 && Math.abs(x) < 1e-3) return x.toExponential(1);
    return x.toFixed(digits === undefined ? 3 : digits);
  }

  function fill(id, rows, build) {
    var body = $(id).querySelector('tbody');
    body.textContent = '';
    rows.forEach(function (r) { var tr = document.createElement('tr'); build(tr, r); body.appendChild(tr); });
  }

  function plot(id, opts, data) {
    var el = $(id);
    if (typeof uPlot === 'undefined') { el.textContent = 'uPlot is not installed on the collector'; return; }
    if (charts[id]) charts[id].destroy();
    opts.width = Math.max(320, el.clientWidth || 480);
    opts.height = 220;
    charts[id] = new uPlot(opts, data, el);
  }

  function drawHeatmap(timeline, features) {
    var c = $('heatmap');
    var ctx = c.getContext('2d');
    var names = features.map(function (f) { return f.feature; });
    var label = 110;
    c.width = Math.max(480, (c.parentElement ? c.parentElement.clientWidth : 960) - 26);
    c.height = Math.max(60, 22 * names.length + 24);
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    var n = timeline.length;
    var w = n ? (c.width - label) / n : 0;
    names.forEach(function (name, i) {
      var y = 4 + i * 22;
      ctx.fillStyle = '#1d2330';
      ctx.fillText(name, 4, y + 10);
      timeline.forEach(function (step, j) {
        var v = step.features[name];
        if (!v) { ctx.fillStyle = '#eef0f3'; }
        else {
          var t = Math.min(1, v.statistic / 0.2);
          ctx.fillStyle = 'rgb(' + Math.round(255 - 40 * t) + ',' + Math.round(245 - 200 * t) + ',' + Math.round(235 - 200 * t) + ')';
        }
        ctx.fillRect(label + j * w, y, Math.max(1, w - 1), 20);
        if (v && v.drift) { ctx.strokeStyle = '#b3261e'; ctx.lineWidth = 2; ctx.strokeRect(label + j * w + 1, y + 1, Math.max(1, w - 3), 18); }
      });
    });
    if (n) {
      ctx.fillStyle = '#5b6472';
      var y0 = 4 + names.length * 22 + 10;
      ctx.fillText(new Date(timeline[0].from).toLocaleTimeString(), label, y0);
      var last = new Date(timeline[n - 1].to).toLocaleTimeString();
      ctx.fillText(last, c.width - ctx.measureText(last).width - 2, y0);
    }
  }

  function render(model, version, range) {
    var now = Date.now();
    var from = now - range;
    var q = 'model=' + encodeURIComponent(model) + '&version=' + encodeURIComponent(version) + '&from=' + from + '&to=' + (now + 1);
    var step = Math.max(60000, Math.ceil(range / 40 / 60000) * 60000);
    var timeline = api('/v1/fleet/timeline?' + q).then(function (t) {
      var xs = t.buckets.map(function (b) { return b.start / 1000; });
      var lat = function (k) { return t.buckets.map(function (b) { return b.latency ? b.latency[k] : null; }); };
      plot('latency-chart', { series: [{}, { label: 'p50', stroke: '#2f6fd6' }, { label: 'p90', stroke: '#e0a100' }, { label: 'p99', stroke: '#b3261e' }] },
        [xs, lat('p50'), lat('p90'), lat('p99')]);
      var alerts = t.buckets.map(function (b) { return Object.values(b.alerts).reduce(function (a, x) { return a + x; }, 0); });
      plot('devices-chart', { series: [{}, { label: 'devices', stroke: '#2f6fd6' }, { label: 'alerts fired', stroke: '#b3261e' }] },
        [xs, t.buckets.map(function (b) { return b.devices; }), alerts]);
      var recent = {};
      t.buckets.slice(-5).forEach(function (b) { Object.keys(b.alerts).forEach(function (k) { recent[k] = (recent[k] || 0) + b.alerts[k]; }); });
      fill('alerts', Object.keys(recent).map(function (k) { return [k, recent[k]]; }), function (tr, r) { cell(tr, r[0]); cell(tr, String(r[1])); });
      var lastB = t.buckets[t.buckets.length - 1];
      return { devicesNow: lastB ? lastB.devices : 0, windows: t.buckets.reduce(function (a, b) { return a + b.windows; }, 0) };
    });
    var drift = api('/v1/fleet/drift?' + q + '&step=' + step).then(function (d) {
      drawHeatmap(d.timeline || [], d.features);
      fill('features', d.features, function (tr, f) {
        if (f.drift) tr.className = 'drift';
        cell(tr, f.feature); cell(tr, f.kind); cell(tr, f.method); cell(tr, fmt(f.statistic));
        cell(tr, f.errorBound === undefined ? '' : '± ' + fmt(f.errorBound)); cell(tr, fmt(f.pValue));
        cell(tr, fmt(f.psi)); cell(tr, fmt(f.jensenShannon)); cell(tr, fmt(100 * f.missingShare, 1) + ' %');
        cell(tr, f.drift ? 'yes' : 'no', f.drift ? 'yes' : '');
      });
      fill('drifted-devices', d.perDevice.filter(function (x) { return x.drifted.length > 0; }), function (tr, x) {
        tr.className = 'drift';
        cell(tr, x.device); cell(tr, String(x.windows)); cell(tr, fmt(100 * x.driftShare, 0) + ' %'); cell(tr, x.drifted.join(', '));
      });
      return d;
    }).catch(function (e) {
      if (e.auth) throw e;
      drawHeatmap([], []);
      fill('features', [], function () {});
      fill('drifted-devices', [], function () {});
      return { error: e.message };
    });
    return Promise.all([timeline, drift]).then(function (r) {
      var s = $('summary');
      s.textContent = '';
      var items = [
        ['devices (latest bucket)', String(r[0].devicesNow)],
        ['windows in range', String(r[0].windows)],
        ['devices with profiles', r[1].error ? '–' : String(r[1].devices)],
        ['fleet drift share', r[1].error ? '–' : fmt(100 * r[1].driftShare, 0) + ' %'],
        ['drifted devices', r[1].error ? '–' : String(r[1].driftedDevices.length)],
      ];
      items.forEach(function (it) { var d = document.createElement('div'); var b = document.createElement('b'); b.textContent = it[1]; d.appendChild(b); d.appendChild(document.createTextNode(it[0])); s.appendChild(d); });
      setStatus(r[1].error ? 'drift: ' + r[1].error : 'updated ' + new Date().toLocaleTimeString(), false);
    });
  }

  function refresh() {
    clearTimeout(timer);
    return api('/v1/fleet/models').then(function (m) {
      var sel = $('model');
      var prev = sel.value;
      sel.textContent = '';
      m.models.forEach(function (x) {
        var o = document.createElement('option');
        o.value = JSON.stringify([x.model, x.version]);
        o.textContent = x.model + ' ' + x.version + (x.reference ? '' : ' (no reference)');
        sel.appendChild(o);
      });
      if (prev && Array.prototype.some.call(sel.options, function (o) { return o.value === prev; })) sel.value = prev;
      if (!sel.value) { setStatus('no windows yet', false); return; }
      var mv = JSON.parse(sel.value);
      return render(mv[0], mv[1], Number($('range').value));
    }).catch(function (e) {
      setStatus(e.message, true);
      if (e.auth) $('token').focus();
    }).then(function () {
      document.body.dataset.ready = '1';
      timer = setTimeout(refresh, 10000);
    });
  }

  $('token').value = sessionStorage.getItem(TOKEN_KEY) || '';
  $('apply').addEventListener('click', function () {
    var t = $('token').value.trim();
    if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY);
    document.body.dataset.ready = '';
    refresh();
  });
  $('model').addEventListener('change', refresh);
  $('range').addEventListener('change', refresh);
  refresh();
})();
`;
