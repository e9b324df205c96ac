// The filter panel: a search box above each list of codes narrows the options shown; "Apply" puts only
// the filters that were set into the URL; a refused filter is brought into view and focused.
// Without JavaScript the form submits every field and the list reads it just the same.
(function () {
  "use strict";
  var form = document.getElementById("filters");

  document.querySelectorAll("input.option-search").forEach(function (search) {
    var select = document.getElementById(search.dataset.for);
    if (!select) return;
    search.hidden = false;
    search.addEventListener("input", function () {
      var words = search.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        var text = (option.text + " " + option.value).toLowerCase();
        option.hidden = words !== "" && text.indexOf(words) === -1 && !option.selected;
      });
    });
  });

  if (!form) return;

  // Twenty-odd empty parameters made the URL unreadable and unshareable.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && value.trim() !== "") params.append(name, value);
    });
    var query = params.toString();
    window.location.assign(form.action.split("?")[0] + (query ? "?" + query : ""));
  });

  // The panel scrolls on its own: an error far down it was invisible after "Apply".
  var invalid = form.querySelector("[aria-invalid='true']");
  var target = invalid || form.querySelector(".error[role='alert']");
  if (target) {
    var more = target.closest("details");
    if (more) more.open = true;
    if (!invalid) target.tabIndex = -1;
    var field = target.closest(".field") || target;
    field.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
})();
