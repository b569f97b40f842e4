// Nothing typed is lost: the form's fields, the order things were ticked in and the open joint groups
// are kept in this tab's sessionStorage as they change, and brought back when the form's page is loaded
// again in this tab (a reload, Back after the browser dropped its copy, a server restart, logging in
// again). sessionStorage belongs to this tab alone and goes when the tab is closed; New patient clears
// it. Nothing else is stored: no cookie, no localStorage, nothing on the server.
// The desk's own fields (therapist, clinic, phone, layout, paper) are also kept apart, so New patient
// leaves them filled in.
"use strict";
(function () {
  var KEY = "handouts.form";
  var DESK = "handouts.desk";
  var DESK_FIELDS = ["therapist", "clinic", "phone", "layout", "paper"];

  function store() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  function read(key) {
    var s = store();
    try { return s ? JSON.parse(s.getItem(key) || "null") : null; } catch (e) { return null; }
  }

  function write(key, value) {
    var s = store();
    try { if (s) s.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  }

  function kept(el) {
    return el.name && el.name !== "csrf_token" && ["file", "submit", "button", "search"].indexOf(el.type) < 0;
  }

  function fieldsOf(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) return;
      if (el.type === "checkbox") {
        fields[el.name] = fields[el.name] || [];
        if (el.checked) fields[el.name].push(el.value);
      } else if (el.type === "radio") {
        if (!(el.name in fields)) fields[el.name] = null;
        if (el.checked) fields[el.name] = el.value;
      } else {
        fields[el.name] = el.value;
      }
    });
    return fields;
  }

  function setFields(form, fields) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el) || !(el.name in fields)) return;
      var value = fields[el.name];
      if (el.type === "checkbox") el.checked = Array.isArray(value) && value.indexOf(el.value) >= 0;
      else if (el.type === "radio") el.checked = value === el.value;
      else if (typeof value === "string") el.value = value;
    });
  }

  function openGroups() {
    return Array.prototype.map.call(document.querySelectorAll("#main-form details[id][open]"), function (d) {
      return d.id;
    });
  }

  var Keep = {
    // The whole kept state: {fields, open, made, agreed}; `made` and `agreed` belong to form.js.
    get: function () { return read(KEY) || {}; },
    set: function (patch) {
      var state = Keep.get();
      Object.keys(patch).forEach(function (k) { state[k] = patch[k]; });
      write(KEY, state);
    },
    save: function (form) {
      var fields = fieldsOf(form);
      Keep.set({ fields: fields, open: openGroups() });
      var desk = {};
      DESK_FIELDS.forEach(function (name) { if (name in fields) desk[name] = fields[name]; });
      write(DESK, desk);
    },
    // New patient: the patient's state goes; the desk's fields stay for the next one.
    clear: function () {
      var s = store();
      try { if (s) s.removeItem(KEY); } catch (e) { /* storage off */ }
    },
    restore: function (form) {
      var state = read(KEY);
      if (state && state.fields) {
        setFields(form, state.fields);
        (state.open || []).forEach(function (id) {
          var group = document.getElementById(id);
          if (group) group.open = true;
        });
        return true;
      }
      var desk = read(DESK);
      if (desk) setFields(form, desk);
      return false;
    },
    fields: fieldsOf
  };

  // Runs before form.js (scripts are deferred, in order), so the page's script starts from the kept
  // fields: settings of ticked items unfold, the order of ticking is the kept one.
  function start() {
    var form = document.getElementById("main-form");
    if (!form) return;
    var kind = form.getAttribute("data-state");
    if (kind === "fresh") {
      Keep.restore(form);
    } else {
      // The server's own answer (a loaded file, or the page of problems without the script) is what
      // the form now holds; a loaded file is another patient's, so no earlier handout is theirs.
      if (kind === "loaded") Keep.set({ made: null, agreed: null });
      Keep.save(form);
    }
  }

  window.HandoutsKeep = Keep;
  start();
})();
