// The review report's period: the year for a year or a half-year, the two dates for a custom period.
"use strict";

(function () {
  var form = document.getElementById("bz-report-create");
  if (!form) { return; }
  function update() {
    var checked = form.querySelector("input[name=period_kind]:checked");
    var kind = checked ? checked.value : "year";
    form.querySelectorAll("[data-bz-period]").forEach(function (el) {
      var wanted = el.getAttribute("data-bz-period") === (kind === "custom" ? "custom" : "year");
      el.classList.toggle("d-none", !wanted);
    });
  }
  form.addEventListener("change", update);
  update();
})();
