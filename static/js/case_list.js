// The filter panel: a search box above each list of codes narrows the options shown.
(function () {
  "use strict";
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
})();
