// Keep only the rules of a stylesheet that the given pages can use (purgecss, pinned in package.json).
// Usage: node purge_css.js STYLESHEET PAGE.html...   The purged CSS goes to stdout; a failure exits non-zero.
// Started by overrides/hooks/notebooks.py for the JupyterLab stylesheet of the notebook pages.
"use strict";
const { PurgeCSS } = require("purgecss");

const [stylesheet, ...pages] = process.argv.slice(2);
if (!stylesheet || pages.length === 0) {
  console.error("usage: node purge_css.js STYLESHEET PAGE.html...");
  process.exit(2);
}
new PurgeCSS()
  .purge({
    css: [stylesheet],
    content: pages,
    // The palette (light/dark) and JupyterLab's theme flags are attributes the pages may get at run time.
    safelist: { greedy: [/data-md-color-scheme/, /data-jp-theme/] },
    variables: true,  // drop the custom properties that no kept rule reads
  })
  .then(([result]) => process.stdout.write(result.css))
  .catch((err) => {
    console.error(`purge_css.js: ${(err && err.message) || err}`);
    process.exit(1);
  });
