// Rows of a Django formset added and marked for deletion in the page (the Content-Security-Policy
// allows no inline script, so pages say what to do with data- attributes).
//
// <div id="rows" data-bz-formset-rows>...</div>
// <template id="empty">the formset's empty_form</template>
// <button type="button" data-bz-add-row="rows" data-bz-row-template="empty"
//         data-bz-total-forms="id_prefix-TOTAL_FORMS">
"use strict";

document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-bz-add-row]");
  if (!button) { return; }
  var rows = document.getElementById(button.dataset.bzAddRow);
  var template = document.getElementById(button.dataset.bzRowTemplate);
  var total = document.getElementById(button.dataset.bzTotalForms);
  var index = parseInt(total.value, 10);
  rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
  total.value = String(index + 1);
  var added = rows.lastElementChild.querySelector("select");
  if (added) { added.focus(); }
});

// A row whose "delete" box is ticked is greyed out until the form is saved.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.name || box.name.slice(-7) !== "-DELETE") { return; }
  var row = box.closest("[data-bz-formset-rows] > *");
  if (row) { row.classList.toggle("bz-deleted", box.checked); }
});
