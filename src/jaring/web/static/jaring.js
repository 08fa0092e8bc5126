// Jaring: the only hand-written script. Upload progress for forms marked data-progress
// (HTMX reports the bytes sent; the page works without JavaScript, just without the bar).
document.addEventListener("htmx:xhr:progress", function (e) {
  var form = e.target.closest ? e.target.closest("form[data-progress]") : null;
  if (!form || !e.detail.lengthComputable) return;
  var bar = form.querySelector("progress");
  if (bar) { bar.hidden = false; bar.value = Math.round(e.detail.loaded / e.detail.total * 100); }
});
