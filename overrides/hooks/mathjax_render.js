// Render TeX to SVG with assistive MathML at build time (MathJax 3.2.2 from npm: mathjax-full).
// Protocol: one JSON request per line on stdin, {"tex": "...", "display": true|false}; one JSON answer per line
// on stdout, {"html": "<mjx-container ...>...</mjx-container>"} or {"error": "..."}. The first line written is
// {"css": "..."}: the stylesheet the rendered formulas need. Started once per build by overrides/hooks/mathjax.py.
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

const out = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
out({ css: adaptor.textContent(svg.styleSheet(html)) });

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  try {
    const request = JSON.parse(line);
    const node = html.convert(request.tex, { display: Boolean(request.display), em: 16, ex: 8, containerWidth: 1280 });
    out({ html: adaptor.outerHTML(node) });
  } catch (err) {
    out({ error: String((err && err.message) || err) });
  }
});
