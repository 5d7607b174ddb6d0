(function () {
  // Charts are laid out for the window; before printing, fit them to the page width.
  function fit() {
    if (!window.Plotly) { return; }
    document.querySelectorAll('.js-plotly-plot').forEach(function (chart) { window.Plotly.Plots.resize(chart); });
  }
  window.addEventListener('beforeprint', fit);
  if (window.matchMedia) { window.matchMedia('print').addEventListener('change', function (e) { if (e.matches) { fit(); } }); }
})();
