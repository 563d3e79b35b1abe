// Draws the evaluation charts with Chart.js (vendored, loaded before this file).
//
// Each <canvas data-chart="ID"> reads its data from the JSON block with that id, written
// by Django's json_script: there is no inline script (strict Content Security Policy).
// Every chart has a data table beside it, so nothing is lost without JavaScript.
(function () {
  "use strict";

  if (typeof window.Chart === "undefined") {
    return;
  }

  var NHS_BLUE = "#005eb8";
  var GREY = "#425563";
  var ORANGE = "#ed8b00";
  var BLACK = "#212b32";
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function line(label, value, count, colour, dashed) {
    var data = [];
    for (var i = 0; i < count; i += 1) {
      data.push(value);
    }
    return {
      type: "line",
      label: label,
      data: data,
      borderColor: colour,
      borderWidth: 2,
      borderDash: dashed ? [6, 4] : [],
      pointRadius: 0,
      fill: false,
    };
  }

  function spcConfig(spec) {
    var count = spec.labels.length;
    return {
      type: "line",
      data: {
        labels: spec.labels,
        datasets: [
          {
            label: spec.label,
            data: spec.values,
            borderColor: GREY,
            borderWidth: 2,
            pointRadius: spec.special.map(function (s) { return s ? 6 : 3; }),
            pointBackgroundColor: spec.special.map(function (s) { return s ? ORANGE : GREY; }),
            pointBorderColor: spec.special.map(function (s) { return s ? ORANGE : GREY; }),
            pointStyle: spec.special.map(function (s) { return s ? "rectRot" : "circle"; }),
            fill: false,
          },
          line("Mean", spec.mean, count, BLACK, false),
          line("Upper process limit", spec.upper, count, GREY, true),
          line("Lower process limit", spec.lower, count, GREY, true),
        ],
      },
    };
  }

  function barConfig(spec) {
    return {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: [{ label: spec.label, data: spec.values, backgroundColor: NHS_BLUE }],
      },
      options: { indexAxis: spec.labels.length > 6 ? "y" : "x" },
    };
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var config = spec.type === "spc" ? spcConfig(spec) : barConfig(spec);
    config.options = Object.assign(
      {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 400 },
        plugins: { legend: { display: spec.type === "spc" } },
        scales: { y: { beginAtZero: true } },
      },
      config.options || {}
    );
    new window.Chart(canvas, config);
  });
})();
