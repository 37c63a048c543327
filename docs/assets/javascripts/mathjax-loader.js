/* Load the self-hosted MathJax on pages with math, and typeset again after instant navigation.
 * This script is placed inside the content of pages with math only (see overrides/hooks/mathjax.py);
 * Material re-runs such scripts after every instant navigation. */
(function () {
  var script = document.currentScript;
  var src = script && script.getAttribute("data-mathjax-src");
  if (!src) return;

  var mj = window.MathJax;
  if (mj && mj.startup && mj.startup.promise) {
    // MathJax is already loaded: a new page was swapped in, so clear the old state and typeset it.
    mj.startup.promise = mj.startup.promise.then(function () {
      mj.typesetClear();
      mj.texReset();
      mj.startup.output.clearCache();
      return mj.typesetPromise();
    });
    return;
  }
  if (window.__handbookMathJaxLoading) return;
  window.__handbookMathJaxLoading = true;

  window.MathJax = {
    tex: {
      inlineMath: [["\\(", "\\)"], ["$", "$"]],
      displayMath: [["\\[", "\\]"], ["$$", "$$"]],
      processEscapes: true,
      processEnvironments: true
    },
    options: {
      // Only typeset arithmatex output and notebook Markdown/LaTeX outputs, nothing else on the page.
      ignoreHtmlClass: ".+",
      processHtmlClass: "arithmatex|jp-RenderedMarkdown|jp-RenderedLatex|jp-MarkdownOutput"
    },
    chtml: { matchFontHeight: false }
  };
  var tag = document.createElement("script");
  tag.src = src;
  tag.async = true;
  tag.id = "MathJax-script";
  document.head.appendChild(tag);
})();
