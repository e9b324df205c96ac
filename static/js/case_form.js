// The entry form's small helpers: add and remove rows (and the scores and lesion findings inside a
// visit), find a code by any of its names, offer only the sides and digit segments a region has, show
// an instrument's range and what a response means, tie treatments and findings to the site rows, and
// look a DOI up. The form works without them (rows already on the page, plain inputs, the server finds
// codes typed by name); they only save the clinician clicks.
(function () {
  "use strict";
  var form = document.getElementById("case-form");
  if (!form) return;

  // Finding a concept by what is typed. The server's copy is cases/forms/lookup.py; the two are held to
  // each other by cases/tests/browser/test_vocabulary_search.py. Rules in order, the first that matches
  // anything decides: the same words as a name, the beginnings of its words, parts of it.
  function words(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .split(/[^a-z0-9]+/).filter(function (w) { return w !== ""; });
  }
  var RULES = [
    function (typed, name) { return typed.join(" ") === name.join(" "); },
    function (typed, name) {
      return typed.every(function (part) { return name.some(function (w) { return w.indexOf(part) === 0; }); });
    },
    function (typed, name) {
      var joined = name.join(" ");
      return typed.every(function (part) { return joined.indexOf(part) !== -1; });
    },
  ];
  function optionNames(option) {
    if (!option._names) {
      var names = [option.value, option.dataset.label || ""];
      if (option.dataset.synonyms) names = names.concat(option.dataset.synonyms.split("|"));
      option._names = names.map(words);
    }
    return option._names;
  }
  // The options the text names under the first rule that matches any.
  function findOptions(list, text) {
    var typed = words(text);
    if (!list || !typed.length) return [];
    for (var r = 0; r < RULES.length; r++) {
      var found = Array.prototype.filter.call(list.options, function (option) {
        return optionNames(option).some(function (name) { return RULES[r](typed, name); });
      });
      if (found.length) return found;
    }
    return [];
  }

  function datalistOption(input) {
    var list = input.list;
    var value = input.value.trim();
    if (!list || !value) return null;
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value === value) return list.options[i];
    }
    return null;
  }

  // "JDM", "thiosulphate", "sodium thio" become their code when they name exactly one concept.
  function codeFromText(input) {
    if (!input.list || !input.value.trim() || datalistOption(input)) return;
    var found = findOptions(input.list, input.value);
    if (found.length === 1) input.value = found[0].value;
  }

  function showCodeLabel(input) {
    var holder = document.getElementById(input.id + "-codelabel");
    if (!holder) return;
    var option = datalistOption(input);
    var text = "";
    var unknown = false;
    if (option) {
      text = option.dataset.label;
    } else if (input.value.trim()) {
      var found = findOptions(input.list, input.value);
      if (found.length === 1) {
        text = "→ " + found[0].dataset.label + " (" + found[0].value + ")";
      } else if (found.length > 1) {
        var shown = found.slice(0, 3).map(function (o) { return o.dataset.label; }).join("; ");
        text = found.length + " match: " + shown + (found.length > 3 ? "; …" : "") + " — pick one from the list";
        unknown = true;
      } else {
        text = "not in the list";
        unknown = true;
      }
    }
    holder.textContent = text;
    holder.classList.toggle("unknown-code", unknown);
  }

  // A region offers only the sides it can have (the region's laterality rule), and a digit segment only
  // for fingers and toes (no middle phalanx in the thumb and the great toe). Without this the service
  // refuses a wrong side beside the input. On arrival (``keep``) what is stored stays chosen and offered:
  // a disabled option is not sent, and the form must not change a stored row by being opened.
  function followRegion(row, keep) {
    var region = row.querySelector("input[name$='-region'][data-vocabulary='region']");
    if (!region) return;
    var option = datalistOption(region);
    var side = row.querySelector("select[name$='-laterality']");
    var segment = row.querySelector("select[name$='-digit_segment']");
    if (side) {
      var sides = option && option.dataset.sides ? option.dataset.sides.split(" ") : null;
      offer(side, function (value) { return !sides || sides.indexOf(value) !== -1; }, "unknown", keep);
      hint(side, sides ? option.dataset.label + ": " + sides.join(", ") : "");
    }
    if (segment) {
      var digit = option ? option.dataset.digit : null;
      offer(segment, function (value) {
        return !option || value === "" || (!!digit && !(digit === "no-middle" && value === "middle"));
      }, "", keep);
      hint(segment, option && !digit ? "Fingers and toes only" : digit === "no-middle" ? "No middle phalanx" : "");
    }
  }
  function offer(select, allowed, fallback, keep) {
    Array.prototype.forEach.call(select.options, function (o) {
      o.disabled = !allowed(o.value) && !(keep && o.selected);
    });
    if (!keep && !allowed(select.value)) select.value = fallback;
  }
  function hint(select, text) {
    var id = select.id + "-rule";
    var holder = document.getElementById(id);
    if (!holder) {
      holder = document.createElement("small");
      holder.id = id;
      holder.className = "help rule-hint";
      holder.setAttribute("aria-live", "polite");
      select.insertAdjacentElement("afterend", holder);
    }
    holder.textContent = text;
  }

  // The value of a score says the range of the instrument chosen beside it.
  function showRange(select) {
    var value = form.querySelector("[data-range-of='" + select.id + "']");
    var help = value ? document.getElementById(value.id + "-help") : null;
    if (!help) return;
    var option = select.selectedOptions[0];
    help.textContent = option && option.dataset.range ? option.dataset.range : "Choose the instrument: its range is shown here.";
  }

  // The definition of the chosen response stands out among the others.
  function markDefinition(select) {
    var list = form.querySelector("dl.definitions[data-for='" + select.id + "']");
    if (!list) return;
    list.querySelectorAll("[data-code]").forEach(function (item) {
      item.classList.toggle("chosen", item.dataset.code === select.value);
    });
  }

  function toggleAna(row) {
    var test = row.querySelector("input[name$='-test'][data-vocabulary='serology_test']");
    var box = row.querySelector(".ana-only");
    if (!test || !box) return;
    var filled = Array.prototype.some.call(box.querySelectorAll("input"), function (i) { return i.value.trim() !== ""; });
    box.hidden = !(test.value.trim().toLowerCase() === "ana" || filled);
  }

  // "Clinical examination" → "clinical examination" inside a sentence; "CT" stays "CT" (as the server says it).
  function inSentence(label) {
    return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
  }

  function siteRows() {
    var rows = document.querySelectorAll("#calcinosis_sites-rows > fieldset.row");
    return Array.prototype.map.call(rows, function (row) {
      var index = row.dataset.index;
      var region = row.querySelector("input[name$='-region']");
      var removed = row.querySelector("input[name$='-DELETE']");
      var option = region ? datalistOption(region) : null;
      var words = [option ? option.dataset.label : (region && region.value.trim()) || "region not chosen yet"];
      ["laterality", "digit_segment"].forEach(function (name) {
        var select = row.querySelector("select[name$='-" + name + "']");
        if (select && select.value && select.value !== "unknown") {
          words.push(inSentence(select.options[select.selectedIndex].text));
        }
      });
      row.querySelectorAll("input[type=checkbox][name$='-methods']:checked").forEach(function (box) {
        words.push(inSentence(box.parentElement.textContent.trim()));
      });
      return { value: index, text: "Site " + (Number(index) + 1) + ": " + words.join(", "), removed: removed && removed.checked };
    });
  }

  // Treatments tick, and lesion findings pick, the calcinosis sites of this form; what is ticked or
  // picked survives adding and renaming sites.
  function refreshSites() {
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
    document.querySelectorAll("select.lesion-pick").forEach(function (select) {
      var chosen = select.value;
      while (select.options.length > 1) select.remove(1);
      sites.forEach(function (site) {
        var option = new Option(site.text, site.value, false, site.value === chosen);
        option.hidden = site.removed;
        select.add(option);
      });
      select.value = chosen;
    });
  }

  function markRemoved(box) {
    var row = box.closest("fieldset.row, fieldset.inner-row");
    row.classList.toggle("removed", box.checked);
    if (row.parentElement.id === "calcinosis_sites-rows") refreshSites();
  }

  // ``key`` is a list ("treatments") or a list inside a visit ("assessments-2-scores"); its template's row
  // number is __prefix__, or __inner__ for a list inside a visit.
  function addRow(key, placeholder) {
    placeholder = placeholder || "__prefix__";
    var total = document.getElementById("id_" + key + "-TOTAL_FORMS");
    var template = document.getElementById(key + "-template");
    var index = Number(total.value);
    var number = placeholder === "__prefix__" ? "__number__" : "__inner_number__";
    var html = template.innerHTML.split(placeholder).join(String(index)).split(number).join(String(index + 1));
    var holder = document.getElementById(key + "-rows");
    holder.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = holder.lastElementChild;
    var section = document.getElementById("section-" + key);
    var none = section ? section.querySelector(".no-rows") : null;
    if (none) none.hidden = true;
    refreshSites();
    row.querySelectorAll("[data-range-of]").forEach(function (value) {
      var select = document.getElementById(value.dataset.rangeOf);
      if (select) showRange(select);
    });
    // Keyboard users continue typing in the new row.
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
    return row;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-add]");
    if (button) {
      event.preventDefault();
      addRow(button.dataset.add, button.dataset.placeholder);
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
    var row = target.closest("fieldset.row");
    if (target.dataset && target.dataset.vocabulary) {
      codeFromText(target);
      showCodeLabel(target);
      if (row && row.querySelector(".ana-only")) toggleAna(row);
      if (row && target.dataset.vocabulary === "region") followRegion(row, false);
    }
    if (target.name && /-DELETE$/.test(target.name)) markRemoved(target);
    if (target.closest("#calcinosis_sites-rows")) refreshSites();
    if (target.tagName === "SELECT" && form.querySelector("[data-range-of='" + target.id + "']")) showRange(target);
    if (target.tagName === "SELECT" && /-response$/.test(target.name)) markDefinition(target);
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
  document.querySelectorAll("#calcinosis_sites-rows > fieldset.row").forEach(function (row) { followRegion(row, true); });
  document.querySelectorAll("fieldset.row input[name$='-DELETE'], fieldset.inner-row input[name$='-DELETE']").forEach(function (box) {
    box.closest("fieldset.row, fieldset.inner-row").classList.toggle("removed", box.checked);
  });
  document.querySelectorAll("input[data-vocabulary]").forEach(function (input) {
    if (!input.closest("template") && input.value.trim()) showCodeLabel(input);
  });
  refreshSites();

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
