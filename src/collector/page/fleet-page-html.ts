/** The fleet page's HTML and CSS (served at `/`; no build step, no external requests). */
export const FLEET_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edgewatch fleet</title>
<link rel="stylesheet" href="uplot.css">
<link rel="stylesheet" href="fleet.css">
</head>
<body>
<header>
  <h1>edgewatch fleet</h1>
  <label>model <select id="model"></select></label>
  <label>range <select id="range">
    <option value="900000">15 min</option>
    <option value="3600000" selected>1 h</option>
    <option value="21600000">6 h</option>
    <option value="86400000">24 h</option>
  </select></label>
  <label>token <input id="token" type="password" autocomplete="off" placeholder="when reads need one"></label>
  <button id="apply">apply</button>
  <span id="status" role="status"></span>
</header>
<main>
  <section class="summary" id="summary"></section>
  <section><h2>Fleet latency (ms)</h2><div id="latency-chart" class="chart"></div></section>
  <section><h2>Devices seen and alerts fired</h2><div id="devices-chart" class="chart"></div>
    <table id="alerts"><thead><tr><th>alert firing (latest buckets)</th><th>windows</th></tr></thead><tbody></tbody></table></section>
  <section class="wide"><h2>Feature drift over time</h2>
    <p class="note">KS statistic (numeric) or Jensen–Shannon distance (categorical) of the fleet-merged profiles against the reference, per time step (white 0, dark red ≥ 0.2); outlined cells drifted.</p>
    <canvas id="heatmap" width="960" height="160"></canvas></section>
  <section class="wide"><h2>Features (fleet-merged, whole range)</h2>
    <table id="features"><thead><tr><th>feature</th><th>kind</th><th>method</th><th>statistic</th><th>bound</th><th>p</th><th>PSI</th><th>JS</th><th>missing</th><th>drift</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Drifted subgroup</h2>
    <table id="drifted-devices"><thead><tr><th>device</th><th>windows</th><th>drift share</th><th>drifted features</th></tr></thead><tbody></tbody></table></section>
</main>
<script src="uplot.js"></script>
<script src="fleet.js"></script>
</body>
</html>
`;

/** The page's stylesheet. */
export const FLEET_PAGE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; padding: 10px 16px; background: #1d2330; color: #fff; }
header h1 { font-size: 18px; margin: 0 12px 0 0; }
header input, header select { font: inherit; }
#status { margin-left: auto; font-size: 13px; }
#status.error { color: #ffb4a8; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 12px; padding: 12px 16px; }
section { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: 10px 12px; }
section h2 { font-size: 15px; margin: 0 0 8px; }
.summary, .wide { grid-column: 1 / -1; }
.summary { display: flex; gap: 24px; }
.summary div b { display: block; font-size: 22px; }
.chart { min-height: 220px; }
.note { font-size: 12px; color: #5b6472; margin: 0 0 6px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eef0f3; }
tr.drift td { background: #fde8e4; }
td.yes { color: #b3261e; font-weight: 600; }
canvas { max-width: 100%; }
`;
