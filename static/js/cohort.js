// The body heat map's readout: the region under the pointer or the keyboard focus, in words, below the map
// (its <title> says the same on hover; this also reaches a keyboard and a screen reader, through aria-live).
(function () {
  "use strict";
  var readout = document.getElementById("heat-readout");
  var map = document.querySelector("#body-map svg");
  if (!readout || !map) return;
  function show(event) {
    var region = event.target.closest("[data-region]");
    if (!region) return;
    var title = region.querySelector("title");
    if (title) readout.textContent = title.textContent;
  }
  map.addEventListener("mouseover", show);
  map.addEventListener("focusin", show);
})();
