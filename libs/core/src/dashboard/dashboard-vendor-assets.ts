import { readFileSync } from 'node:fs';

/**
 * uPlot (MIT, about 50 KB minified), served by the bridge itself so the dashboard draws its
 * charts on a network with no way out and under a CSP of `'self'` only. The package ships an
 * IIFE that declares `var uPlot`; one export line makes it an ES module the charts import.
 * Read once at start from the installed package, so an upgrade needs no copy step.
 */
function uplotFile(name: string): string {
  return readFileSync(require.resolve(`uplot/dist/${name}`), 'utf8');
}

export const UPLOT_JS = `${uplotFile('uPlot.iife.min.js')}\nexport default uPlot;\n`;
export const UPLOT_CSS = uplotFile('uPlot.min.css');
