/* The dashboards' charts (Chart.js 4, vendored under static/vendor/chartjs; no CDN, no inline
 * script). Each <canvas data-chart="KIND" data-source="ID"> reads its figures from the JSON block
 * <script type="application/json" id="ID"> that the page writes with Django's json_script: the
 * same Decimal figures as the table beside the chart, as strings with a dot ("98.51").
 *
 * Readable in black-and-white print: every status has a hatching pattern of its own besides its
 * colour, and the trend's lines differ by dash and point shape.
 */
(function () {
  "use strict";

  var STATUS = {
    tercapai: { color: "#6cc59a", ink: "#0b5d4b", kind: "dots" },
    hampir: { color: "#e0b34d", ink: "#6b4500", kind: "diagonal" },
    tidak: { color: "#e88b83", ink: "#7a1a12", kind: "cross" },
    na: { color: "#c3ccd5", ink: "#3b4a59", kind: "horizontal" },
    belum: { color: "#ffffff", ink: "#3b4a59", kind: "none" },
  };

  function pattern(color, ink, kind) {
    var size = 8;
    var canvas = document.createElement("canvas");
    canvas.width = size;
    canvas.height = size;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = ink;
    ctx.fillStyle = ink;
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (kind === "dots") {
      ctx.arc(4, 4, 1.3, 0, 2 * Math.PI);
      ctx.fill();
    } else if (kind === "diagonal" || kind === "cross") {
      ctx.moveTo(0, size);
      ctx.lineTo(size, 0);
      if (kind === "cross") {
        ctx.moveTo(0, 0);
        ctx.lineTo(size, size);
      }
      ctx.stroke();
    } else if (kind === "horizontal") {
      ctx.moveTo(0, 4);
      ctx.lineTo(size, 4);
      ctx.stroke();
    } else if (kind === "solid") {
      ctx.fillRect(2, 2, 4, 4);
    }
    return ctx.createPattern(canvas, "repeat");
  }

  function numbers(values) {
    return values.map(function (v) {
      return v === null ? null : Number(v);
    });
  }

  function read(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-source"));
    return source ? JSON.parse(source.textContent) : null;
  }

  var common = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { labels: { color: "#1d2733" } } },
  };

  function counts(canvas, data) {
    // One bar per IKK: the box grows with their number (set through the CSSOM, which the
    // Content-Security-Policy allows, unlike a style attribute).
    canvas.parentNode.style.height = data.labels.length * 24 + 90 + "px";
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s) {
          var st = STATUS[s.key] || STATUS.belum;
          return {
            label: s.label,
            data: numbers(s.values),
            backgroundColor: pattern(st.color, st.ink, st.kind),
            borderColor: st.ink,
            borderWidth: 1,
          };
        }),
      },
      options: Object.assign({}, common, {
        indexAxis: "y",
        scales: {
          x: { stacked: true, title: { display: true, text: "Jumlah UPT" }, ticks: { precision: 0 } },
          y: { stacked: true },
        },
      }),
    });
  }

  function histogram(canvas, data) {
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: "Jumlah UPT",
            data: numbers(data.values),
            backgroundColor: pattern("#9cc3e6", "#0a3d6b", "diagonal"),
            borderColor: "#0a3d6b",
            borderWidth: 1,
          },
        ],
      },
      options: Object.assign({}, common, {
        scales: {
          x: { title: { display: true, text: "Capaian UPT" } },
          y: { title: { display: true, text: "Jumlah UPT" }, ticks: { precision: 0 }, beginAtZero: true },
        },
      }),
    });
  }

  function trend(canvas, data) {
    return new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: "Realisasi gabungan",
            data: numbers(data.realisation),
            borderColor: "#0b5d4b",
            backgroundColor: "#0b5d4b",
            borderWidth: 2,
            pointStyle: "circle",
            pointRadius: 4,
            spanGaps: false,
          },
          {
            label: "Target gabungan",
            data: numbers(data.target),
            borderColor: "#1d2733",
            backgroundColor: "#ffffff",
            borderDash: [6, 4],
            borderWidth: 2,
            pointStyle: "triangle",
            pointRadius: 5,
            spanGaps: false,
          },
        ],
      },
      options: common,
    });
  }

  var KINDS = { counts: counts, histogram: histogram, trend: trend };

  function draw() {
    if (!window.Chart) {
      return;
    }
    window.Chart.defaults.font.family = "system-ui, sans-serif";
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var kind = KINDS[canvas.getAttribute("data-chart")];
      var data = read(canvas);
      if (kind && data) {
        kind(canvas, data);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
