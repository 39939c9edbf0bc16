/**
 * The fleet page's files, served by the collector at `/` with no build step: the
 * HTML, CSS and script are embedded here; uPlot is read once from the installed
 * `uplot` package (an optional dependency of edgewatch). Without it the page still
 * shows its tables and heat map, and says that the charts need uPlot.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FLEET_PAGE_CSS, FLEET_PAGE_HTML } from './page/fleet-page-html.js';
import { FLEET_PAGE_SCRIPT } from './page/fleet-page-script.js';

/** A static file of the page. */
export interface PageAsset {
  body: string;
  type: string;
}

let uplot: { js: string; css: string } | undefined;

function loadUplot(): { js: string; css: string } {
  if (uplot) return uplot;
  try {
    const require = createRequire(import.meta.url);
    uplot = {
      js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  } catch {
    uplot = { js: '/* uplot is not installed */', css: '' };
  }
  return uplot;
}

/**
 * The page file at `path`, if it is one.
 * @param path - the URL path.
 * @returns body and content type, or undefined for any other path.
 */
export function fleetPageAsset(path: string): PageAsset | undefined {
  switch (path) {
    case '/':
    case '/index.html':
      return { body: FLEET_PAGE_HTML, type: 'text/html; charset=utf-8' };
    case '/fleet.css':
      return { body: FLEET_PAGE_CSS, type: 'text/css; charset=utf-8' };
    case '/fleet.js':
      return { body: FLEET_PAGE_SCRIPT, type: 'text/javascript; charset=utf-8' };
    case '/uplot.js':
      return { body: loadUplot().js, type: 'text/javascript; charset=utf-8' };
    case '/uplot.css':
      return { body: loadUplot().css, type: 'text/css; charset=utf-8' };
    default:
      return undefined;
  }
}
