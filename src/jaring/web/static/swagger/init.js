// Swagger UI on Jaring's own OpenAPI document, vendored (swagger-ui-dist 5.35.0, Apache-2.0):
// no CDN, so the docs work offline and under the strict Content-Security-Policy.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
