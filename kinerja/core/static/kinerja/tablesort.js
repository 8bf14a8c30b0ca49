/* Sortable tables without a library (no inline script: the Content-Security-Policy forbids it).
 *
 * A <table class="sortable"> whose header cells carry data-sort="text" or data-sort="num" gets a
 * button in each such header; clicking it sorts the rows of the table's <tbody> (a <tfoot> with
 * totals stays where it is) by that column, again to reverse. A cell's data-sort-value is used
 * when present (numbers written with a dot, dates as YYYY-MM-DD), else its text. Cells without a
 * value sort last either way. The header's aria-sort says the order to screen readers. Without
 * JavaScript the table is simply shown in the server's order.
 */
(function () {
  "use strict";
  if (window.kinerjaTableSort) {
    return; // included by several sections of one page
  }
  window.kinerjaTableSort = true;

  function value(cell, numeric) {
    if (!cell) {
      return null;
    }
    var raw = cell.getAttribute("data-sort-value");
    if (raw === null) {
      raw = cell.textContent.trim();
    }
    if (raw === "") {
      return null;
    }
    if (numeric) {
      var n = parseFloat(raw);
      return isNaN(n) ? null : n;
    }
    return raw.toLocaleLowerCase("id");
  }

  function sort(table, th, index) {
    var numeric = th.getAttribute("data-sort") === "num";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[data-sort]").forEach(function (other) {
      other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = value(a.cells[index], numeric);
        var y = value(b.cells[index], numeric);
        if (x === null || y === null) {
          return x === null ? (y === null ? 0 : 1) : -1;
        }
        var order = numeric ? x - y : x.localeCompare(y, "id");
        return ascending ? order : -order;
      });
      rows.forEach(function (row) {
        body.appendChild(row);
      });
    });
  }

  function setUp() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!head) {
        return;
      }
      Array.prototype.forEach.call(head.cells, function (th, index) {
        if (!th.hasAttribute("data-sort") || th.querySelector("button.sort")) {
          return;
        }
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.title = "Urutkan";
        while (th.firstChild) {
          button.appendChild(th.firstChild);
        }
        th.appendChild(button);
        button.addEventListener("click", function () {
          sort(table, th, index);
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
