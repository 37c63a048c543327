// Render TeX to SVG with assistive MathML at build time (MathJax 3.2.2 from npm: mathjax-full).
// Protocol: one JSON request per line on stdin, {"tex": "...", "display": true|false}; one JSON answer per line
// on stdout, {"html": "<mjx-container ...>...</mjx-container>"} or {"error": "..."}. The first line written is
// {"css": "..."}: the stylesheet the rendered formulas need. Started once per build by math_prerender.py.
"use strict";
const readline = require("readline");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const tex = new TeX({ packages: AllPackages.filter((name) => name !== "bussproofs"), formatError: (_jax, err) => {
  throw err;
} });
const svg = new SVG({ fontCache: "none" });  // every formula self-contained: pages are cut and combined (PDF)
const html = mathjax.document("", { InputJax: tex, OutputJax: svg });

// MathJax wraps every node of the formula in a <g data-mml-node="…">; those without a transform or colour draw
// nothing themselves. Unwrapping them leaves the picture as it is and removes ~40 % of the <g> elements, which the
// browser would otherwise style one by one (MathJax's own CSS only looks at <g> of tables and errors: kept).
const KEEP = new Set(["mtable", "merror"]);
function flatten(node) {
  for (const child of [...adaptor.childNodes(node)]) {
    if (adaptor.kind(child) !== "g") continue;
    const attributes = adaptor.allAttributes(child);
    if (KEEP.has(adaptor.getAttribute(child, "data-mml-node"))) continue;
    flatten(child);
    if (attributes.every(({ name }) => name === "data-mml-node" || name === "data-mjx-texclass")) {
      for (const grandchild of [...adaptor.childNodes(child)]) adaptor.insert(grandchild, child);
      adaptor.remove(child);
    }
  }
}

const out = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
out({ css: adaptor.textContent(svg.styleSheet(html)) });

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  try {
    const request = JSON.parse(line);
    const node = html.convert(request.tex, { display: Boolean(request.display), em: 16, ex: 8, containerWidth: 1280 });
    for (const svg of adaptor.tags(node, "svg")) flatten(svg);
    out({ html: adaptor.outerHTML(node) });
  } catch (err) {
    out({ error: String((err && err.message) || err) });
  }
});
