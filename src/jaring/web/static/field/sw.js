/* Jaring field form: the service worker. It keeps the form (page, script, style, icons) so
   that it opens without a signal; the API is never cached (records live in IndexedDB, and
   answers must be the server's). Served as /field/sw.js: its scope is /field/. */
"use strict";
var CACHE = "jaring-field-1";
var PAGE = "/field/";
var ASSETS = [
  "/static/jaring.css",
  "/static/field/field.css",
  "/static/field/checks.js",
  "/static/field/app.js",
  "/static/field/icon-192.png",
  "/field/manifest.webmanifest"
];

function keepPage(cache, response) {
  // only the form itself: never a sign-in page that a redirect brought instead
  if (response && response.ok && !response.redirected && response.type === "basic") {
    return cache.put(PAGE, response.clone());
  }
  return Promise.resolve();
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ASSETS).then(function () {
      return fetch(PAGE, { credentials: "same-origin" }).then(function (r) { return keepPage(cache, r); });
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) { return; }
  if (req.mode === "navigate" && url.pathname === PAGE) {
    // the network first (a newer form, a sign-in that expired), the kept form without one
    event.respondWith(fetch(req).then(function (response) {
      return caches.open(CACHE).then(function (cache) { return keepPage(cache, response); })
        .then(function () { return response; });
    }).catch(function () {
      return caches.match(PAGE);
    }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(url.pathname).then(function (hit) {
      var fresh = fetch(req).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { return cache.put(url.pathname, copy); });
        }
        return response;
      });
      if (hit) {
        fresh.catch(function () {});  // kept copy shown; refreshed for next time when online
        return hit;
      }
      return fresh;
    }));
  }
});
