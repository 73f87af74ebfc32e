// RightsTrack service worker (version {{ version }}): keeps the pages a monitor opened online so they open
// offline. Answers and notes are never kept here: the pages keep them encrypted in IndexedDB (offline.js).
"use strict";
var PAGES = "rt-pages-v{{ version }}";
var STATIC = "rt-static-v{{ version }}";
var OFFLINE_URL = "{{ offline_url|escapejs }}";
var STATIC_PREFIX = "{{ static_prefix|escapejs }}";
// Pages kept for offline use: a monitor's hearings, checklists, hearing details and the quick note.
var KEEP = [
  /^\/trials\/my-hearings\/$/,
  /^\/trials\/observations\/\d+\/$/,
  /^\/trials\/hearings\/\d+\/$/,
  /^\/field\/note\/$/,
  /^\/field\/offline\/$/
];

self.addEventListener("install", function (event) {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n !== PAGES && n !== STATIC; }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function networkFirst(request) {
  return fetch(request).then(function (response) {
    // A redirect (to the log-in page) or an error page is never kept in place of the real page.
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (hit) {
      return hit || caches.match(OFFLINE_URL).then(function (page) { return page || Response.error(); });
    });
  });
}

function cacheFirst(request) {
  return caches.match(request).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(STATIC).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(cacheFirst(request));
  } else if (KEEP.some(function (re) { return re.test(url.pathname); }) && !request.headers.get("HX-Request")) {
    event.respondWith(networkFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE_URL).then(function (page) { return page || Response.error(); });
    }));
  }
});
