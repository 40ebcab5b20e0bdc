/* Hoshin charts: every <canvas data-chart="ID"> is drawn with Chart.js from the JSON in
   <script type="application/json" id="ID">{"type": "bar", "data": {...}, "options": {...}}</script>.
   Colours follow the Okabe-Ito palette, which stays distinguishable for colour-blind readers and
   in greyscale print. The numbers behind each chart are in a server-rendered table next to it. */
(function () {
  "use strict";
  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
  window.HOSHIN_PALETTE = PALETTE;

  function colour(dataset, index) {
    var c = PALETTE[index % PALETTE.length];
    if (!dataset.backgroundColor) { dataset.backgroundColor = c; }
    if (!dataset.borderColor) { dataset.borderColor = c; }
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof Chart === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    (spec.data.datasets || []).forEach(colour);
    spec.options = spec.options || {};
    spec.options.animation = false;          /* print and screenshots show the final state */
    spec.options.maintainAspectRatio = false;
    canvas.setAttribute("role", "img");
    new Chart(canvas, spec);
    canvas.setAttribute("data-drawn", "true");
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
  });
})();
