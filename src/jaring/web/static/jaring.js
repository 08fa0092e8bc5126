// Jaring: the only hand-written script. Every page works without it; with it:
// - upload progress for forms marked data-progress (HTMX reports the bytes sent);
// - refusals (4xx pages) are swapped in like answers, so the message shows where it belongs;
// - a form being sent says so ("Memproses...") and cannot be sent twice;
// - when the connection drops, a notice says so and what was typed stays (kept in the tab's
//   sessionStorage until the server has answered without a refusal);
// - the menu folds behind one button on narrow screens;
// - a table of five columns or more becomes a list of cards on a phone (each cell labelled
//   with its column's name, as tables marked class="cards" are by their templates).
(function () {
  "use strict";
  var body = document.body;
  var KEEP = "jaring:form:";
  var PENDING = "jaring:pending";

  function busyText() { return body.getAttribute("data-busy") || "..."; }
  function offlineBox() { return document.getElementById("offline"); }
  function showOffline(on) { var b = offlineBox(); if (b) b.hidden = !on; }

  document.addEventListener("htmx:xhr:progress", function (e) {
    var form = e.target.closest ? e.target.closest("form[data-progress]") : null;
    if (!form || !e.detail.lengthComputable) return;
    var bar = form.querySelector("progress");
    if (bar) { bar.hidden = false; bar.value = Math.round(e.detail.loaded / e.detail.total * 100); }
  });

  // A refusal is a page like any other: swap it in (the template marks the message role=alert).
  document.addEventListener("htmx:beforeSwap", function (e) {
    var s = e.detail.xhr.status;
    if (s >= 400 && s < 500) { e.detail.shouldSwap = true; e.detail.isError = false; }
  });

  function formKey(form) { return KEEP + location.pathname + "|" + (form.getAttribute("action") || ""); }
  function keepable(el) {
    return el.name && el.name !== "csrf_token" && el.type !== "password" && el.type !== "file" &&
      el.type !== "hidden" && el.type !== "submit";
  }
  function save(form) {
    if (form.method.toLowerCase() !== "post") return;
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!keepable(el)) return;
      if (el.type === "checkbox" || el.type === "radio") { if (el.checked) (data[el.name] = data[el.name] || []).push(el.value); }
      else data[el.name] = el.value;
    });
    try { sessionStorage.setItem(formKey(form), JSON.stringify(data)); } catch (err) { /* full or denied */ }
  }
  function restore(form) {
    var raw = null;
    try { raw = sessionStorage.getItem(formKey(form)); } catch (err) { return; }
    if (!raw) return;
    var data = JSON.parse(raw);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!keepable(el) || !(el.name in data)) return;
      var v = data[el.name];
      if (el.type === "checkbox" || el.type === "radio") { if (Array.isArray(v) && v.indexOf(el.value) >= 0) el.checked = true; }
      else if (!el.value || el.tagName === "SELECT") el.value = v;
    });
  }
  function setBusy(form, on) {
    form.toggleAttribute("data-busy", on);
    form.setAttribute("aria-busy", on ? "true" : "false");
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit],button:not([type])"), function (b) {
      if (on) { b.setAttribute("data-label", b.textContent); b.textContent = busyText(); b.disabled = true; }
      else if (b.hasAttribute("data-label")) { b.textContent = b.getAttribute("data-label"); b.disabled = false; }
    });
  }

  document.addEventListener("input", function (e) {
    var form = e.target.form;
    if (form) save(form);
  });
  document.addEventListener("change", function (e) {
    var form = e.target.form;
    if (form) save(form);
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.hasAttribute("data-busy")) { e.preventDefault(); return; }  // no double submit
    if (!navigator.onLine) { e.preventDefault(); save(form); showOffline(true); return; }
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-get")) return;  // HTMX: below
    if (form.method.toLowerCase() === "post") {
      save(form);
      try { sessionStorage.setItem(PENDING, formKey(form)); } catch (err) { /* ignore */ }
    }
    // disabled after the browser has taken the submitter's name and value
    setTimeout(function () { setBusy(form, true); }, 0);
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = e.detail.elt && e.detail.elt.tagName === "FORM" ? e.detail.elt : null;
    if (!form) return;
    if (!navigator.onLine) { e.preventDefault(); save(form); showOffline(true); return; }
    setBusy(form, true);
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt && e.detail.elt.tagName === "FORM" ? e.detail.elt : null;
    if (!form) return;
    if (document.contains(form)) setBusy(form, false);
    var s = e.detail.xhr ? e.detail.xhr.status : 0;
    if (s === 0) { save(form); showOffline(true); return; }
    showOffline(false);
    if (s < 400) { try { sessionStorage.removeItem(formKey(form)); } catch (err) { /* ignore */ } }
  });
  document.addEventListener("htmx:sendError", function () { showOffline(true); });

  window.addEventListener("offline", function () { showOffline(true); });
  window.addEventListener("online", function () { showOffline(false); });
  window.addEventListener("pageshow", function () {
    // back from a sent form: buttons usable again
    Array.prototype.forEach.call(document.querySelectorAll("form[data-busy]"), function (f) { setBusy(f, false); });
  });

  // The previous page sent a form: answered without a refusal, its kept values go.
  try {
    var pending = sessionStorage.getItem(PENDING);
    if (pending) {
      sessionStorage.removeItem(PENDING);
      if (!document.querySelector("[role=alert]:not(#offline)")) sessionStorage.removeItem(pending);
    }
  } catch (err) { /* ignore */ }
  Array.prototype.forEach.call(document.querySelectorAll("form[method=post]"), restore);
  if (!navigator.onLine) showOffline(true);

  // Wide tables as cards: label each cell with its column's header; the CSS of table.cards
  // applies only on narrow screens, so a desktop sees the table unchanged.
  function cardify(root) {
    if (!root || !root.querySelectorAll) return;
    Array.prototype.forEach.call(root.querySelectorAll("table"), function (t) {
      if (t.classList.contains("cards") || t.classList.contains("explain") || t.classList.contains("keep")) return;
      var heads = t.querySelectorAll("thead th");
      if (heads.length < 5 || t.querySelector("td[colspan],th[colspan]")) return;
      var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
      Array.prototype.forEach.call(t.querySelectorAll("tbody tr"), function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (!td.hasAttribute("data-label") && names[i]) td.setAttribute("data-label", names[i]);
        });
      });
      t.classList.add("cards");
    });
  }
  cardify(document);
  document.addEventListener("htmx:load", function (e) { cardify(e.target.parentNode || e.target); });

  var toggle = document.getElementById("menu-toggle");
  if (toggle) {
    document.documentElement.classList.add("js");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      document.getElementById("menu").classList.toggle("open", open);
    });
  }
})();
