// Offline field capture. Registers the service worker; on the checklist and the quick-note pages, keeps
// what is entered while offline in IndexedDB, encrypted with AES-GCM under a key derived (PBKDF2) from the
// phone's PIN, and sends it in capture order when the connection returns. An item leaves the phone only
// when the server confirmed it ("ok" or "duplicate"); conflicts and refusals stay, shown with a way out.
(function () {
  "use strict";
  var script = document.currentScript;
  var SW_URL = script.dataset.sw;
  var SYNC_URL = script.dataset.sync;
  var WIPED_URL = script.dataset.wiped;
  var DB_NAME = "rightstrack-offline";
  var KEY_SLOT = "rt-offline-key"; // sessionStorage: the derived key while this tab is unlocked
  var DEVICE_SLOT = "rt-offline-device"; // localStorage: this browser's device id (not secret)
  var ITERATIONS = 210000;
  var CHUNK = 100;
  var MISSING = ["not_observed", "not_applicable"];
  var enc = new TextEncoder();
  var dec = new TextDecoder();
  var key = null;
  var syncing = false;
  var strings = {};
  var panel = null;
  var wiped = false; // the local store was just deleted: nothing may recreate it on this page
  var lastProblem = ""; // why the last sending stopped, shown until a sending succeeds

  function str(name) { return strings[name] || ""; }
  function user() {
    var link = document.querySelector(".user-link");
    return link ? link.textContent.trim() : "";
  }
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  function cryptoReady() { return !!(window.crypto && crypto.subtle && window.indexedDB); }
  function b64(bytes) {
    var out = "", chunk = 0x8000;
    for (var i = 0; i < bytes.length; i += chunk) out += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk));
    return btoa(out);
  }
  function unb64(text) {
    var raw = atob(text), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return hex(crypto.getRandomValues(new Uint8Array(16)));
  }
  function deviceId() {
    var id = localStorage.getItem(DEVICE_SLOT);
    if (!id) { id = newId(); localStorage.setItem(DEVICE_SLOT, id); }
    return id;
  }

  // --- IndexedDB ---------------------------------------------------------------------------------
  function openDb() {
    if (wiped) return Promise.reject(new Error("wiped"));
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        db.createObjectStore("meta");
        db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }
  function getMeta() { return tx("meta", "readonly", function (s) { return s.get("crypto"); }); }
  function countQueue() { return tx("queue", "readonly", function (s) { return s.count(); }); }
  function allRecords() { return tx("queue", "readonly", function (s) { return s.getAll(); }); }

  // --- Encryption ----------------------------------------------------------------------------------
  function derive(pin, salt) {
    return crypto.subtle.importKey("raw", enc.encode(pin), "PBKDF2", false, ["deriveKey"]).then(function (base) {
      return crypto.subtle.deriveKey(
        { name: "PBKDF2", salt: salt, iterations: ITERATIONS, hash: "SHA-256" },
        base, { name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]
      );
    });
  }
  function seal(value) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, enc.encode(JSON.stringify(value))).then(function (ct) {
      return { iv: b64(iv), ct: b64(new Uint8Array(ct)) };
    });
  }
  function open(record, withKey) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(record.iv) }, withKey || key, unb64(record.ct)).then(function (pt) {
      return JSON.parse(dec.decode(pt));
    });
  }
  function remember(k) {
    key = k;
    return crypto.subtle.exportKey("raw", k).then(function (raw) { sessionStorage.setItem(KEY_SLOT, b64(new Uint8Array(raw))); });
  }
  function restoreKey() {
    var raw = sessionStorage.getItem(KEY_SLOT);
    if (!raw) return Promise.resolve(null);
    return crypto.subtle.importKey("raw", unb64(raw), "AES-GCM", true, ["encrypt", "decrypt"]).then(function (k) { key = k; return k; });
  }
  function setPin(pin) {
    var salt = crypto.getRandomValues(new Uint8Array(16));
    return derive(pin, salt).then(function (k) {
      return remember(k).then(function () { return seal({ user: user() }); });
    }).then(function (check) {
      return tx("meta", "readwrite", function (s) { s.put({ salt: b64(salt), iv: check.iv, ct: check.ct }, "crypto"); });
    });
  }
  function unlock(pin) {
    return getMeta().then(function (meta) {
      return derive(pin, unb64(meta.salt)).then(function (k) {
        return open(meta, k).then(function (check) {
          if (check.user !== user()) throw new Error("other-user");
          return remember(k);
        });
      });
    });
  }

  // --- Queue ---------------------------------------------------------------------------------------
  function enqueue(item) {
    return seal(item).then(function (box) {
      return tx("queue", "readwrite", function (s) { return s.add(box); });
    });
  }
  function items() {
    return allRecords().then(function (records) {
      return Promise.all(records.map(function (r) {
        return open(r).then(function (item) { item.seq = r.seq; return item; });
      }));
    });
  }
  function update(item) {
    var seq = item.seq;
    var copy = Object.assign({}, item);
    delete copy.seq;
    return seal(copy).then(function (box) {
      box.seq = seq;
      return tx("queue", "readwrite", function (s) { s.put(box); });
    });
  }
  function drop(seq) { return tx("queue", "readwrite", function (s) { s.delete(seq); }); }

  function wipe(reason) {
    wiped = true;
    key = null;
    sessionStorage.removeItem(KEY_SLOT);
    var device = localStorage.getItem(DEVICE_SLOT);
    localStorage.removeItem(DEVICE_SLOT);
    var jobs = [new Promise(function (resolve) {
      var req = indexedDB.deleteDatabase(DB_NAME);
      req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
    })];
    var clearCaches = function () {
      return window.caches ? caches.keys().then(function (names) { return Promise.all(names.map(function (n) { return caches.delete(n); })); }) : null;
    };
    // The worker goes too (it would keep pages again); caches are cleared once more for a page it was still storing.
    if (navigator.serviceWorker) {
      jobs.push(navigator.serviceWorker.getRegistrations().then(function (regs) {
        return Promise.all(regs.map(function (r) { return r.unregister(); }));
      }).catch(function () {}));
    }
    jobs.push(clearCaches());
    jobs.push(new Promise(function (resolve) { setTimeout(resolve, 800); }).then(clearCaches));
    return Promise.all(jobs).then(function () {
      if (device && reason === "remote") {
        var body = new URLSearchParams({ device: device });
        return fetch(WIPED_URL, { method: "POST", body: body, headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" }).catch(function () {});
      }
    });
  }

  function deviceLabel() {
    // What the user recognises on the Devices list: browser and system, not the whole user-agent string.
    var ua = navigator.userAgent;
    var os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Windows/.test(ua) ? "Windows"
      : /Mac OS/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : "";
    var browser = /Firefox\//.test(ua) ? "Firefox" : /Edg\//.test(ua) ? "Edge" : /Chrome\//.test(ua) ? "Chrome"
      : /Safari\//.test(ua) ? "Safari" : "";
    return [browser, os].filter(Boolean).join(" · ") || ua.slice(0, 60);
  }

  // --- Sending -------------------------------------------------------------------------------------
  function post(batch) {
    return fetch(SYNC_URL, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ device: deviceId(), label: deviceLabel(), items: batch })
    });
  }

  function flush() {
    if (syncing || wiped || !navigator.onLine) return Promise.resolve();
    syncing = true;
    var done = function () {
      syncing = false;
      if (wiped) return render();
      return countQueue().then(function (n) { if (panel) panel.dataset.backlog = n ? "1" : "0"; }, function () {}).then(render);
    };
    return getMeta().then(function (meta) {
      if (!meta) return null;
      if (!key) {
        // Locked: no item can be read, but a remote wipe is still carried out.
        return post([]).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
          if (data && data.wipe) return wipe("remote").then(function () { notice(str("wiped")); });
        }).catch(function () {});
      }
      return items().then(function (all) {
        var pending = all.filter(function (i) { return (i.status || "pending") === "pending"; });
        pending.sort(function (a, b) { return a.seq - b.seq; });
        var batches = [], current = [];
        pending.forEach(function (item) {
          // A note travels alone (its attachments are large); answers go together in capture order.
          var alone = item.kind === "note" || item.kind === "photo";
          if (alone || current.length >= CHUNK) { if (current.length) batches.push(current); current = []; }
          current.push(item);
          if (alone) { batches.push(current); current = []; }
        });
        if (current.length) batches.push(current);
        if (!batches.length) batches.push([]);
        return sendAll(batches);
      });
    }).then(done, function (err) { done(); throw err; });
  }

  function sendAll(batches) {
    var batch = batches.shift();
    if (!batch) return Promise.resolve();
    var bySeq = {};
    var payload = batch.map(function (item) {
      bySeq[item.client_id] = item;
      var copy = Object.assign({}, item);
      delete copy.seq; delete copy.status; delete copy.message; delete copy.server_value;
      return copy;
    });
    setStatus(str("sending"));
    return post(payload).then(function (response) {
      if (response.status === 401 || response.status === 403 || response.redirected) { lastProblem = str("login"); return "stop"; }
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          lastProblem = (data.detail ? data.detail + " " : "") + str("server-failed");
          return "stop";
        });
      }
      lastProblem = "";
      return response.json().then(function (data) {
        var steps = (data.results || []).map(function (result) {
          var item = bySeq[result.client_id];
          if (!item) return null;
          if (result.status === "ok" || result.status === "duplicate") {
            markForm(item, "sent");
            return drop(item.seq).then(function () {
              if (item.kind === "note") noteState(str("note-sent"));
              if (item.kind === "photo") photoState(str("photo-sent"));
            });
          }
          item.status = result.status;
          item.message = result.message || "";
          if ("server_value" in result) item.server_value = result.server_value;
          markForm(item, result.status);
          return update(item);
        });
        return Promise.all(steps).then(function () {
          if (data.wipe) return wipe("remote").then(function () { notice(str("wiped")); return "stop"; });
          refreshPage();
        });
      });
    }, function () {
      // Network cut: everything stays on the phone and is sent again later.
      lastProblem = str("cut");
      return "stop";
    }).then(function (outcome) { if (outcome !== "stop") return sendAll(batches); });
  }

  // --- Checklist page ------------------------------------------------------------------------------
  function formValue(form) {
    var data = new FormData(form);
    var values = data.getAll("value").map(String);
    var value = values.filter(function (v) { return MISSING.indexOf(v) >= 0; })[0];
    if (value === undefined) value = values[0] || "";
    return { value: value, note: String(data.get("note") || "") };
  }
  function baseValue(form) {
    // The value the server last sent for this question: what the page was rendered with.
    var radios = form.querySelectorAll("input[type=radio][name=value]");
    for (var i = 0; i < radios.length; i++) if (radios[i].defaultChecked) return radios[i].value;
    var field = form.querySelector("textarea[name=value], input[type=number][name=value]");
    return field ? field.defaultValue : "";
  }
  function formFor(item) {
    var forms = document.querySelectorAll("form.answer");
    for (var i = 0; i < forms.length; i++) {
      var f = forms[i];
      var code = f.querySelector("input[name=indicator]");
      var def = f.querySelector("input[name=defendant]");
      if (code && code.value === item.indicator && String(def ? def.value : "") === String(item.defendant || "")) return f;
    }
    return null;
  }
  function stateOf(form) { return form.querySelector(".state"); }
  function markForm(item, state) {
    if (item.kind !== "answer" || String(item.observation) !== observationId()) return;
    var form = formFor(item);
    if (!form) return;
    var box = stateOf(form);
    form.classList.toggle("offline-pending", state === "pending");
    if (state === "pending") box.textContent = str("saved-here");
    else if (state === "sent") {
      box.textContent = str("sent");
      adoptAsBase(form);
    } else {
      box.textContent = "";
      var span = document.createElement("span");
      span.className = "error";
      span.textContent = (state === "conflict" ? str("conflict") : str("error")) + ": " + (item.message || "");
      box.appendChild(span);
    }
  }
  function adoptAsBase(form) {
    // The base of the next change: what the server holds once this phone's earlier items are applied.
    form.querySelectorAll("input[type=radio][name=value]").forEach(function (r) { r.defaultChecked = r.checked; });
    var field = form.querySelector("textarea[name=value], input[type=number][name=value]");
    if (field) field.defaultValue = field.value;
  }
  function applyToForm(form, item) {
    form.querySelectorAll("input[type=radio][name=value]").forEach(function (r) { r.checked = r.value === item.value; });
    var field = form.querySelector("textarea[name=value], input[type=number][name=value]");
    if (field && MISSING.indexOf(item.value) < 0) field.value = item.value;
    var note = form.querySelector("textarea[name=note]");
    if (note) note.value = item.note || "";
    if ((item.status || "pending") === "pending") adoptAsBase(form);
  }
  function observationId() { return panel ? panel.dataset.observation || "" : ""; }

  function queueAnswer(form) {
    var input = formValue(form);
    var code = form.querySelector("input[name=indicator]").value;
    var def = form.querySelector("input[name=defendant]");
    var item = {
      client_id: newId(),
      kind: "answer",
      observation: observationId(),
      checklist: panel.dataset.checklist,
      indicator: code,
      defendant: def ? def.value : "",
      value: input.value,
      note: input.note,
      base: baseValue(form),
      captured_at: new Date().toISOString(),
      status: "pending"
    };
    if (!key) {
      var box = stateOf(form);
      box.innerHTML = "";
      var span = document.createElement("span");
      span.className = "error";
      span.textContent = str("need-pin");
      box.appendChild(span);
      waiting.push(item);
      showPin();
      return Promise.resolve();
    }
    adoptAsBase(form);
    return enqueue(item).then(function () {
      markForm(item, "pending");
      return render();
    }).then(function () { if (navigator.onLine) return flush(); });
  }
  var waiting = []; // answered before the PIN was entered: queued as soon as it is

  function refreshPage() {
    // Keep the offline copy of this page in step with what the server now holds.
    if (!panel || !navigator.onLine || !navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    clearTimeout(refreshPage.timer);
    refreshPage.timer = setTimeout(function () { fetch(location.href, { credentials: "same-origin" }).catch(function () {}); }, 1500);
  }

  function precache() {
    // Open once online: every group of this checklist, the hearing, and the quick note are kept for offline use.
    if (!navigator.onLine || !navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    var links = [location.href];
    document.querySelectorAll("nav.groups a, a[data-offline-keep], main a[href*='/trials/observations/'], main a[href*='/trials/hearings/']").forEach(function (a) {
      var url = new URL(a.href, location.href);
      if (url.origin === location.origin && links.indexOf(url.href) < 0) links.push(url.href);
    });
    links.push(new URL("/field/note/", location.href).href);
    var next = function () {
      var url = wiped ? null : links.shift();
      if (!url) { document.documentElement.dataset.offlineReady = "1"; return; }
      fetch(url, { credentials: "same-origin" }).catch(function () {}).then(next);
    };
    next();
  }

  // --- Panel ---------------------------------------------------------------------------------------
  function setStatus(text) {
    var box = panel && panel.querySelector("[data-offline-status]");
    if (box) box.textContent = text;
  }
  function notice(text) { setStatus(text); }
  function showPin() {
    if (!panel) return;
    getMeta().then(function (meta) {
      var form = panel.querySelector("[data-pin-form]");
      form.hidden = false;
      form.querySelector("[data-pin-label-set]").hidden = !!meta;
      form.querySelector("[data-pin-label-unlock]").hidden = !meta;
      panel.hidden = false;
    });
  }
  function render() {
    if (!panel) return Promise.resolve();
    panel.hidden = false;
    if (wiped) {
      panel.querySelector("[data-pin-form]").hidden = true;
      panel.querySelector("[data-offline-send]").hidden = true;
      panel.querySelector("[data-offline-lock]").hidden = true;
      setStatus(str("wiped"));
      return Promise.resolve();
    }
    return getMeta().then(function (meta) {
      var pinForm = panel.querySelector("[data-pin-form]");
      panel.querySelector("[data-offline-lock]").hidden = !key;
      if (!meta || !key) {
        showPin();
        return countQueue().then(function (n) {
          if (!meta) setStatus(navigator.onLine ? "" : str("need-pin"));
          else setStatus(n ? str("locked") : (navigator.onLine ? "" : str("offline")));
        });
      }
      pinForm.hidden = true;
      return items().then(function (all) {
        var pending = all.filter(function (i) { return (i.status || "pending") === "pending"; });
        var problems = all.filter(function (i) { return i.status === "conflict" || i.status === "error"; });
        var text = pending.length === 1 ? str("pending-one") : pending.length ? str("pending-many").replace("%(n)s", pending.length) : str("none");
        if (!navigator.onLine) text = str("offline") + " " + text;
        else if (lastProblem && pending.length) text = lastProblem + " " + text;
        if (!syncing) setStatus(text);
        panel.querySelector("[data-offline-send]").hidden = !pending.length || !navigator.onLine;
        var list = panel.querySelector("[data-offline-problems]");
        list.innerHTML = "";
        problems.forEach(function (item) { list.appendChild(problemRow(item)); });
        all.forEach(function (item) {
          if (item.kind !== "answer" || String(item.observation) !== observationId()) return;
          var form = formFor(item);
          if (form) { applyToForm(form, item); markForm(item, item.status || "pending"); }
        });
      });
    });
  }
  function problemRow(item) {
    var li = document.createElement("li");
    li.className = "offline-problem";
    var label = item.kind === "note" ? (item.what || "").slice(0, 60)
      : item.kind === "photo" ? (item.attachments || []).map(function (a) { return a.name; }).join(", ")
      : item.indicator + " = " + (item.value || "—");
    var text = document.createElement("span");
    text.className = "error";
    text.textContent = label + " — " + (item.status === "conflict" ? str("conflict") : str("error")) + ": " + (item.message || "");
    li.appendChild(text);
    if (item.status === "conflict" && item.kind === "answer") {
      var mine = document.createElement("button");
      mine.type = "button";
      mine.textContent = str("keep-mine");
      mine.addEventListener("click", function () {
        item.base = item.server_value || "";
        item.confirmed = true; // the monitor saw the conflict and keeps this answer
        item.status = "pending";
        item.message = "";
        update(item).then(render).then(flush);
      });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(mine);
    }
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link-button";
    discard.textContent = str("discard");
    discard.addEventListener("click", function () { drop(item.seq).then(function () { location.reload(); }); });
    li.appendChild(document.createTextNode(" "));
    li.appendChild(discard);
    return li;
  }

  function loadStrings() {
    var tpl = document.getElementById("offline-strings");
    if (!tpl) return;
    Object.keys(tpl.dataset).forEach(function (k) {
      strings[k.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); })] = tpl.dataset[k];
    });
  }

  function setupPanel() {
    panel = document.querySelector("[data-offline-panel]");
    if (!panel) return;
    if (!cryptoReady()) { panel.hidden = false; setStatus(str("no-crypto")); return; }
    var pinForm = panel.querySelector("[data-pin-form]");
    pinForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = pinForm.querySelector("input");
      var error = pinForm.querySelector("[data-pin-error]");
      error.textContent = "";
      getMeta().then(function (meta) {
        if (meta) return unlock(input.value);
        // Six or more: the store may be copied off a taken phone, and each guess costs only one key derivation.
        if (input.value.length < 6) throw new Error("short");
        return setPin(input.value);
      }).then(function () {
        input.value = "";
        var queued = waiting.splice(0);
        return queued.reduce(function (p, item) {
          return p.then(function () { return enqueue(item).then(function () { markForm(item, "pending"); }); });
        }, Promise.resolve());
      }).then(render).then(flush).catch(function (err) {
        error.textContent = err && err.message === "short" ? str("short-pin") : str("wrong-pin");
        input.select();
      });
    });
    panel.querySelector("[data-offline-send]").addEventListener("click", function () { flush(); });
    panel.querySelector("[data-offline-lock]").addEventListener("click", function () {
      key = null; sessionStorage.removeItem(KEY_SLOT); render();
    });
    // Answers: htmx posts them when online; when offline (or while older answers wait) they are queued instead.
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var form = event.target.closest ? event.target.closest("form.answer") : null;
      if (!form || !panel.dataset.observation) return;
      if (!navigator.onLine || panel.dataset.backlog === "1") {
        event.preventDefault();
        queueAnswer(form);
      }
    });
    document.body.addEventListener("htmx:sendError", function (event) {
      var form = event.target.closest ? event.target.closest("form.answer") : null;
      if (form && panel.dataset.observation) queueAnswer(form);
    });
    var photoForm = panel.querySelector("[data-photo-form]");
    if (photoForm) photoForm.addEventListener("submit", function (event) { event.preventDefault(); queuePhoto(photoForm); });
    var noteForm = document.querySelector("[data-note-form]");
    if (noteForm) noteForm.addEventListener("submit", function (event) { event.preventDefault(); queueNote(noteForm); });
    restoreKey().then(render).then(function () {
      return tx("queue", "readonly", function (s) { return s.count(); }).then(function (n) { panel.dataset.backlog = n ? "1" : "0"; });
    }).then(function () { return flush(); }).then(function () {
      return countQueue().then(function (n) { panel.dataset.backlog = n ? "1" : "0"; });
    }).catch(function () {});
  }

  // --- Quick incident note -------------------------------------------------------------------------
  function noteState(text) {
    var box = document.querySelector("[data-note-state]");
    if (box) box.textContent = text;
  }
  function readFile(file) {
    return file.arrayBuffer().then(function (buffer) {
      return crypto.subtle.digest("SHA-256", buffer).then(function (digest) {
        return { name: file.name, type: file.type, size: file.size, sha256: hex(digest), data: b64(new Uint8Array(buffer)), captured_at: new Date().toISOString() };
      });
    });
  }
  function queueNote(form) {
    if (!key) { noteState(str("need-pin")); showPin(); return; }
    var data = new FormData(form);
    var files = Array.prototype.slice.call(form.querySelector("[data-note-files]").files || []);
    Promise.all(files.map(readFile)).then(function (attachments) {
      return enqueue({
        client_id: newId(),
        kind: "note",
        organisation: String(data.get("organisation") || ""),
        what: String(data.get("what") || ""),
        when: String(data.get("when") || ""),
        where: String(data.get("where") || ""),
        who: String(data.get("who") || ""),
        consent: String(data.get("consent") || ""),
        captured_at: new Date().toISOString(),
        attachments: attachments,
        status: "pending"
      });
    }).then(function () {
      form.reset();
      noteState(str("note-queued"));
      return render();
    }).then(function () { if (navigator.onLine) return flush(); });
  }

  function photoState(text) {
    var box = panel && panel.querySelector("[data-photo-state]");
    if (box) box.textContent = text;
  }
  function queuePhoto(form) {
    var files = Array.prototype.slice.call(form.querySelector("[data-photo-files]").files || []);
    if (!files.length) { photoState(str("no-photo")); return; }
    if (!key) { photoState(str("need-pin")); showPin(); return; }
    Promise.all(files.map(readFile)).then(function (attachments) {
      return enqueue({
        client_id: newId(),
        kind: "photo",
        observation: observationId(),
        caption: form.querySelector("[data-photo-caption]").value,
        captured_at: new Date().toISOString(),
        attachments: attachments,
        status: "pending"
      });
    }).then(function () {
      form.reset();
      photoState(str("photo-queued"));
      return render();
    }).then(function () { if (navigator.onLine) return flush(); });
  }

  // --- Every page ----------------------------------------------------------------------------------
  function hookLogout() {
    document.querySelectorAll("form[action*='/accounts/logout/']").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.wiped === "1" || !cryptoReady()) return;
        event.preventDefault();
        countQueue().catch(function () { return 0; }).then(function (n) {
          if (n && !window.confirm(str("logout-confirm").replace("%(n)s", n))) return;
          wipe("logout").then(function () { form.dataset.wiped = "1"; form.submit(); });
        });
      });
    });
  }

  if ("serviceWorker" in navigator && SW_URL && user()) {
    navigator.serviceWorker.register(SW_URL, { scope: "/" }).then(function () {
      if (navigator.serviceWorker.controller) precache();
      else navigator.serviceWorker.addEventListener("controllerchange", precache, { once: true });
    }).catch(function () {});
  }
  if (user()) {
    loadStrings();
    hookLogout();
    setupPanel();
    window.addEventListener("online", function () { render(); flush(); });
    window.addEventListener("offline", function () { render(); });
    setInterval(function () { if (navigator.onLine && key) flush(); }, 20000);
    if (!panel && cryptoReady()) {
      // Elsewhere: a remote wipe is still carried out when this phone keeps something.
      getMeta().then(function (meta) { if (meta && navigator.onLine) return flush(); }).catch(function () {});
    }
  }
  window.RightsTrackOffline = { flush: flush, wipe: wipe };
})();
