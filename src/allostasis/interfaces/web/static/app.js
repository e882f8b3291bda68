// allostasis web UI: draws the server-computed Plotly figures and drives the GABA-A slider.
// Plain JavaScript, no outside request: plotly.min.js is served by this server.
"use strict";

function readJson(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

function drawFigures() {
  document.querySelectorAll("[data-figure]").forEach(function (div) {
    var fig = readJson(div.dataset.figure);
    var config = { responsive: true, displaylogo: false };
    Plotly.newPlot(div, fig.data, fig.layout, config);
  });
}

// The GABA-A explorer: a family of curves computed on the server, one per slider position.
function gabaSlider() {
  var slider = document.getElementById("modulator-slider");
  if (!slider) { return; }
  var family = readJson("gaba-family");
  var chart = document.getElementById("gaba-chart");
  var out = document.getElementById("modulator-readout");
  function show(i) {
    var c = family.curves[i];
    var data = [
      { x: family.gaba_um, y: family.baseline, name: "GABA alone", mode: "lines",
        line: { color: "#555555", dash: "dash" } },
      { x: family.gaba_um, y: c.response, name: family.modulator + " " + c.label, mode: "lines",
        line: { color: "#0b4f8a", width: 3 } }
    ];
    Plotly.react(chart, data, family.layout, { responsive: true, displaylogo: false });
    var text = family.modulator + " " + c.label + ": GABA EC50 " + c.ec50_um.toPrecision(3) +
      " uM (alone " + family.ec50_alone_um.toPrecision(3) + " uM), leftward shift " +
      c.shift.toFixed(2) + "x (ceiling " + family.max_shift.toFixed(2) + "x)";
    out.textContent = text;
    slider.setAttribute("aria-valuetext", c.label);
  }
  slider.addEventListener("input", function () { show(Number(slider.value)); });
  show(Number(slider.value));
}

document.addEventListener("DOMContentLoaded", function () {
  drawFigures();
  gabaSlider();
});
