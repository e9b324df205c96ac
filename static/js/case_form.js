// The entry form's small helpers: add and remove rows, show the label of a typed code,
// ANA-only inputs, treatment-to-site ticks and the DOI look-up. The form works without
// them (rows already on the page, plain inputs); they only save the clinician clicks.
(function () {
  "use strict";
  var form = document.getElementById("case-form");
  if (!form) return;

  function datalistOption(input) {
    var list = input.list;
    var value = input.value.trim();
    if (!list || !value) return null;
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value === value) return list.options[i];
    }
    return null;
  }

  // A typed label ("Little finger") becomes its code when it names exactly one concept.
  function codeFromLabel(input) {
    var list = input.list;
    var text = input.value.trim().toLowerCase();
    if (!list || !text || datalistOption(input)) return;
    var found = [];
    for (var i = 0; i < list.options.length; i++) {
      var option = list.options[i];
      if ((option.dataset.label || "").toLowerCase() === text) found.push(option);
    }
    if (found.length === 1) input.value = found[0].value;
  }

  function showCodeLabel(input) {
    var holder = document.getElementById(input.id + "-codelabel");
    if (!holder) return;
    var option = datalistOption(input);
    holder.textContent = option ? option.dataset.label : (input.value.trim() ? "not in the list" : "");
    holder.classList.toggle("unknown-code", !option && !!input.value.trim());
  }

  function toggleAna(row) {
    var test = row.querySelector("input[name$='-test'][data-vocabulary='serology_test']");
    var box = row.querySelector(".ana-only");
    if (!test || !box) return;
    var filled = Array.prototype.some.call(box.querySelectorAll("input"), function (i) { return i.value.trim() !== ""; });
    box.hidden = !(test.value.trim().toLowerCase() === "ana" || filled);
  }

  function siteRows() {
    var rows = document.querySelectorAll("#calcinosis_sites-rows > fieldset.row");
    return Array.prototype.map.call(rows, function (row) {
      var index = row.dataset.index;
      var region = row.querySelector("input[name$='-region']");
      var removed = row.querySelector("input[name$='-DELETE']");
      var option = region ? datalistOption(region) : null;
      var words = [option ? option.dataset.label : (region && region.value.trim()) || "region not chosen yet"];
      ["laterality", "digit_segment", "detected_by"].forEach(function (name) {
        var select = row.querySelector("select[name$='-" + name + "']");
        if (select && select.value && select.value !== "unknown") {
          words.push(select.options[select.selectedIndex].text.toLowerCase());
        }
      });
      return { value: index, text: "Site " + (Number(index) + 1) + ": " + words.join(", "), removed: removed && removed.checked };
    });
  }

  // Each treatment offers the calcinosis sites of this form; ticks survive adding and renaming sites.
  function refreshTargets() {
    var sites = siteRows();
    document.querySelectorAll("fieldset.targets").forEach(function (group) {
      var holder = group.querySelector(".target-options");
      var checked = {};
      holder.querySelectorAll("input").forEach(function (box) { checked[box.value] = box.checked; });
      holder.textContent = "";
      sites.forEach(function (site) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = group.dataset.name;
        box.value = site.value;
        box.checked = !!checked[site.value];
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + site.text));
        label.hidden = site.removed;
        holder.appendChild(label);
      });
      var none = group.querySelector(".no-sites");
      if (none) none.hidden = sites.some(function (s) { return !s.removed; });
    });
  }

  function markRemoved(box) {
    var row = box.closest("fieldset.row");
    row.classList.toggle("removed", box.checked);
    if (row.parentElement.id === "calcinosis_sites-rows") refreshTargets();
  }

  function addRow(key) {
    var total = document.getElementById("id_" + key + "-TOTAL_FORMS");
    var template = document.getElementById(key + "-template");
    var index = Number(total.value);
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    var holder = document.getElementById(key + "-rows");
    holder.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = holder.lastElementChild;
    var section = document.getElementById("section-" + key);
    var none = section.querySelector(".no-rows");
    if (none) none.hidden = true;
    if (key === "calcinosis_sites" || key === "treatments") refreshTargets();
    // Keyboard users continue typing in the new row.
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
    return row;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-add]");
    if (button) {
      event.preventDefault();
      addRow(button.dataset.add);
    }
  });

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (target.dataset && target.dataset.vocabulary) showCodeLabel(target);
    var row = target.closest("fieldset.row");
    if (row && row.querySelector(".ana-only")) toggleAna(row);
  });

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.dataset && target.dataset.vocabulary) {
      codeFromLabel(target);
      showCodeLabel(target);
      var row = target.closest("fieldset.row");
      if (row && row.querySelector(".ana-only")) toggleAna(row);
    }
    if (target.name && /-DELETE$/.test(target.name)) markRemoved(target);
    if (target.closest("#calcinosis_sites-rows")) refreshTargets();
    if (target.id === "id_publication-doi") lookUpDoi(target);
  });

  // A DOI the registry already has fills the empty publication fields.
  function lookUpDoi(input) {
    var status = document.getElementById("doi-status");
    var doi = input.value.trim();
    if (!doi) { status.textContent = ""; return; }
    var url = form.dataset.doiUrl + "?doi=" + encodeURIComponent(doi);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.found) {
          status.textContent = "Not in the registry yet: fill in the details below; they are stored with the case.";
          return;
        }
        var filled = 0;
        Object.keys(data.publication).forEach(function (name) {
          var box = document.getElementById("id_publication-" + name);
          var value = data.publication[name];
          if (box && name !== "doi" && value !== null && value !== "" && !box.value.trim()) {
            box.value = value;
            filled++;
          }
        });
        status.textContent = "Known publication: " + filled + " field" + (filled === 1 ? "" : "s") + " filled in from the registry.";
      })
      .catch(function () { status.textContent = ""; });
  }

  document.querySelectorAll("#serology-rows > fieldset.row").forEach(toggleAna);
  document.querySelectorAll("fieldset.row input[name$='-DELETE']").forEach(function (box) {
    box.closest("fieldset.row").classList.toggle("removed", box.checked);
  });
  refreshTargets();

  // Each organ's summary counts the features recorded in it, as the clinician ticks them.
  function countFeatures(group) {
    ["present", "absent"].forEach(function (status) {
      var holder = group.querySelector("summary [data-count='" + status + "']");
      if (holder) holder.textContent = group.querySelectorAll("input[type=radio][value='" + status + "']:checked").length;
    });
  }
  form.addEventListener("change", function (event) {
    var group = event.target.closest("details.organ");
    if (group && event.target.type === "radio") countFeatures(group);
  });

  // Unsaved changes: Cancel asks before discarding them, and so does leaving the page another way.
  function snapshot() {
    var values = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") values.push(name + "=" + value);
    });
    return values.join("&");
  }
  var saved = snapshot();
  // A page sent back with errors holds what was typed but not stored: leaving it loses that.
  var unsavedOnArrival = !!(document.getElementById("stale-warning") || document.getElementById("form-errors"));
  var leaving = false;
  function changed() {
    return !leaving && (unsavedOnArrival || snapshot() !== saved);
  }
  form.addEventListener("submit", function () { leaving = true; });
  var cancel = document.getElementById("cancel-case");
  if (cancel) {
    cancel.addEventListener("click", function (event) {
      if (!changed()) return;
      if (window.confirm("Discard the changes to this case? Nothing you typed here is saved.")) {
        leaving = true;
      } else {
        event.preventDefault();
      }
    });
  }
  window.addEventListener("beforeunload", function (event) {
    if (changed()) {
      event.preventDefault();
      event.returnValue = "";  // older browsers ask only when this is set
    }
  });

  var summary = document.getElementById("stale-warning") || document.getElementById("form-errors");
  if (summary) summary.focus();
})();
