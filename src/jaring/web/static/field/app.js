/* Jaring field form: records kept in IndexedDB on the phone, checked offline
   (checks.js), sent when there is a signal, each answered by the server.

   A record keeps the id this phone made for it (client_id) from the first save to the
   server's answer, so a send repeated or cut off halfway never doubles it. A record stays
   on the phone, whole, until the server confirms it; then only a receipt is kept (name,
   answer). One refused stays, marked and editable, until fixed or deleted. A KTP photo is
   kept encrypted (AES-GCM, key derived from the registrar's PIN by PBKDF2) and deleted once
   the server has it. */
(function () {
  "use strict";

  var DB_NAME = "jaring-field";
  var BATCH = 10;              // records per request: a cut connection loses at most one answer
  var PHOTO_MAX = 500 * 1024;  // bytes, after compression
  var PBKDF2_ROUNDS = 310000;
  var S = JSON.parse(document.getElementById("strings").textContent);
  var form = document.getElementById("form");
  var state = { me: null, lists: null, key: null, syncing: false, anyway: false, photo: null };

  // ------------------------------------------------------------------ storage (IndexedDB)

  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = function () {
          var d = open.result;
          var records = d.createObjectStore("records", { keyPath: "client_id" });
          records.createIndex("owner", "owner");
          d.createObjectStore("meta");
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }
  function tx(store, mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(store, mode);
        var out = fn(t.objectStore(store));
        t.oncomplete = function () { resolve(out instanceof IDBRequest ? out.result : out); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  function put(record) { return tx("records", "readwrite", function (s) { return s.put(record); }); }
  function get(id) { return tx("records", "readonly", function (s) { return s.get(id); }); }
  function remove(id) { return tx("records", "readwrite", function (s) { return s.delete(id); }); }
  function mine() {
    var owner = state.me ? state.me.username : "";
    return tx("records", "readonly", function (s) { return s.index("owner").getAll(owner); })
      .then(function (all) { return all.sort(function (a, b) { return b.seq - a.seq; }); });
  }
  function meta(key, value) {
    if (value === undefined) { return tx("meta", "readonly", function (s) { return s.get(key); }); }
    return tx("meta", "readwrite", function (s) { return s.put(value, key); });
  }

  // ------------------------------------------------------------------ the network

  function online() { return navigator.onLine; }
  function showNet() {
    var el = document.getElementById("net");
    el.textContent = online() ? S.online : S.offline;
    el.className = "net" + (online() ? "" : " off");
  }
  function say(text) {
    var el = document.getElementById("message");
    el.textContent = text || "";
    el.hidden = !text;
  }

  // the answers in the form's language (the API otherwise follows the browser's)
  var LANG = document.documentElement.lang || "id";
  function api(path) { return path + (path.indexOf("?") >= 0 ? "&" : "?") + "lang=" + LANG; }

  function fetchJson(url, options) {
    return fetch(api(url), Object.assign({ credentials: "same-origin", headers: { Accept: "application/json" } }, options || {}))
      .then(function (r) {
        if (r.status === 401) { var e = new Error("login"); e.login = true; throw e; }
        if (!r.ok) { var f = new Error("http " + r.status); f.status = r.status; throw f; }
        return r.json();
      });
  }

  function refresh() {
    // who is signed in and the region lists: from the server when there is one, else kept
    return fetchJson("/api/v1/field/me").then(function (me) {
      state.me = me;
      localStorage.setItem("jaring-field-me", JSON.stringify({ username: me.username, full_name: me.full_name, regions: me.regions }));
      return fetchJson("/api/v1/field/lists").then(function (lists) {
        state.lists = lists;
        return meta("lists", lists);
      });
    }).catch(function (e) {
      if (e.login) { state.me = null; }
      var kept = localStorage.getItem("jaring-field-me");
      if (kept && !state.me) { state.me = JSON.parse(kept); state.me.csrf_token = null; }
      return meta("lists").then(function (lists) { state.lists = lists || state.lists; });
    });
  }

  // ------------------------------------------------------------------ the form

  function value(name) {
    var el = form.elements[name];
    if (!el) { return ""; }
    if (el.type === "checkbox") { return el.checked; }
    return el.value;
  }
  function record() {
    var r = {};
    ["client_id", "nik", "name", "birth_date", "sex", "address", "district_code", "village_code",
      "phone", "occupation", "market", "income", "consent", "consent_name", "consent_version"]
      .forEach(function (k) { r[k] = value(k); });
    return r;
  }
  function fill(r) {
    Object.keys(r).forEach(function (k) {
      var el = form.elements[k];
      if (!el || el.type === "file") { return; }
      if (el.type === "checkbox") { el.checked = !!r[k]; } else { el.value = r[k] == null ? "" : r[k]; }
      if (k === "district_code") { villages(); }
    });
  }
  function clearForm(keepPlace) {
    var market = value("market"), district = value("district_code"), village = value("village_code");
    form.reset();
    form.elements.client_id.value = "";
    if (keepPlace) {  // the next trader is at the same market
      form.elements.market.value = market;
      form.elements.district_code.value = district;
      villages();
      form.elements.village_code.value = village;
    }
    state.anyway = false;
    state.photo = null;
    document.getElementById("photo-note").hidden = true;
    document.getElementById("save-anyway").hidden = true;
    showIssues([]);
  }

  function districts() {
    var sel = form.elements.district_code;
    var kept = sel.value;
    sel.innerHTML = "";
    sel.appendChild(new Option(S.choose, ""));
    ((state.lists && state.lists.districts) || []).forEach(function (d) { sel.appendChild(new Option(d.name, d.code)); });
    sel.value = kept;
    villages();
  }
  function villages() {
    var sel = form.elements.village_code;
    var kept = sel.value;
    var code = form.elements.district_code.value;
    sel.innerHTML = "";
    sel.appendChild(new Option(S.choose, ""));
    ((state.lists && state.lists.districts) || []).forEach(function (d) {
      if (d.code === code) { d.villages.forEach(function (v) { sel.appendChild(new Option(v.name, v.code)); }); }
    });
    sel.value = kept;
  }

  function check(r, others) {
    return JaringChecks.checkRecord(r, { lists: state.lists || {}, others: others });
  }

  function showIssues(issues) {
    var ul = document.getElementById("issues");
    ul.innerHTML = "";
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) { el.removeAttribute("aria-invalid"); });
    issues.forEach(function (i) {
      var li = document.createElement("li");
      li.className = i.severity;
      li.dataset.code = i.code;
      li.textContent = i.message || JaringChecks.message(i, state.lists && state.lists.messages);
      ul.appendChild(li);
      var name = { district: "district_code", village: "village_code", consent: "consent_name" }[i.field] || i.field;
      if (i.severity === "error" && form.elements[name]) { form.elements[name].setAttribute("aria-invalid", "true"); }
    });
  }

  function localTime() {
    var d = new Date(), off = -d.getTimezoneOffset(), sign = off >= 0 ? "+" : "-";
    function p(n) { return (n < 10 ? "0" : "") + n; }
    off = Math.abs(off);
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" + p(d.getHours()) + ":" +
      p(d.getMinutes()) + ":" + p(d.getSeconds()) + sign + p(Math.floor(off / 60)) + ":" + p(off % 60);
  }
  function device() {
    var id = localStorage.getItem("jaring-device");
    if (!id) { id = crypto.randomUUID().slice(0, 8); localStorage.setItem("jaring-device", id); }
    return id + " " + navigator.userAgent.replace(/^Mozilla\/5\.0 /, "").slice(0, 150);
  }

  function save(anyway) {
    if (!state.me) { say(S.no_user); return Promise.resolve(); }
    var r = record();
    return mine().then(function (all) {
      var others = all.filter(function (o) { return o.client_id !== r.client_id && o.state !== "needs_fix"; })
        .map(function (o) { return { client_id: o.client_id, nik_clean: o.nik_clean, name: o.name }; });
      var result = check(r, others);
      showIssues(result.issues);
      var warnings = result.issues.length - result.errors;
      if ((result.errors || warnings) && !anyway) {
        document.getElementById("save-anyway").hidden = false;
        say(S.fix_or_save);
        return;
      }
      var existing = r.client_id ? get(r.client_id) : Promise.resolve(null);
      return existing.then(function (old) {
        var id = r.client_id || crypto.randomUUID();
        delete r.client_id;
        var keep = {
          client_id: id,
          owner: state.me.username,
          data: r,
          name: r.name,
          nik_clean: result.nik.clean,
          state: "queued",
          answer: null,
          seq: old ? old.seq : performance.timeOrigin + performance.now(),  // the list's order
          registered_at: old ? old.registered_at : localTime(),
          device: device(),
          photo: state.photo || (old ? old.photo : null),
          photo_state: state.photo ? "waiting" : (old ? old.photo_state : null),
          local_errors: result.errors
        };
        return put(keep).then(function () {
          say(result.errors ? S.saved_with_errors : S.saved);
          clearForm(true);
          return render();
        });
      });
    });
  }

  // ------------------------------------------------------------------ the KTP photo

  function b64(buf) { return btoa(String.fromCharCode.apply(null, new Uint8Array(buf))); }
  function unb64(text) { return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); }); }

  function deriveKey(pin, salt) {
    var enc = new TextEncoder();
    return crypto.subtle.importKey("raw", enc.encode(pin), "PBKDF2", false, ["deriveKey"]).then(function (base) {
      return crypto.subtle.deriveKey({ name: "PBKDF2", salt: salt, iterations: PBKDF2_ROUNDS, hash: "SHA-256" },
        base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    });
  }
  function encrypt(key, data) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, data).then(function (c) { return { iv: b64(iv), data: c }; });
  }
  function decrypt(key, box) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(box.iv) }, key, box.data);
  }
  /* The PIN's key, asked once per opening of the form: a new PIN is set on first use (its
     salt and a check value kept on the phone, never the PIN). A forgotten PIN is reset with
     the account's password or a supervisor's code (checked by the server): the photos
     locked under it are marked to be taken again, the records keep their text. */
  function unlock() {
    if (state.key) { return Promise.resolve(state.key); }
    return meta("pin").then(function (pin) {
      return new Promise(function (resolve) {
        var panel = document.getElementById("pin");
        var input = document.getElementById("pin-input");
        var forgot = document.getElementById("pin-forgot");
        function ask() {
          document.getElementById("pin-label").textContent = pin ? S.pin_enter : S.pin_set;
          forgot.hidden = !pin;
          forgot.textContent = S.pin_forgot;
          panel.hidden = false;
          input.value = "";
          input.focus();
        }
        ask();
        forgot.onclick = function () {
          lockedPhotos().then(function (n) {
            document.getElementById("pin-reset-explain").textContent = S.pin_reset_explain.replace("{n}", n);
            document.getElementById("pin-reset").hidden = false;
            panel.hidden = true;
          });
        };
        document.getElementById("pin-reset-cancel").onclick = function () {
          document.getElementById("pin-reset").hidden = true;
          ask();
        };
        document.getElementById("pin-reset-ok").onclick = function () {
          resetPin().then(function (done) {
            if (!done) { return; }
            pin = null;  // the same unlock goes on: the next PIN typed is the new one
            ask();
          });
        };
        document.getElementById("pin-ok").onclick = function () {
          var typed = input.value;
          if (!/^[0-9]{6,12}$/.test(typed)) { say(S.pin_short); return; }
          var salt = pin ? unb64(pin.salt) : crypto.getRandomValues(new Uint8Array(16));
          deriveKey(typed, salt).then(function (key) {
            if (pin) {
              return decrypt(key, { iv: pin.iv, data: unb64(pin.check).buffer }).then(function () { return key; });
            }
            return encrypt(key, new TextEncoder().encode("jaring")).then(function (box) {
              return meta("pin", { salt: b64(salt), iv: box.iv, check: b64(box.data) }).then(function () { return key; });
            });
          }).then(function (key) {
            state.key = key;
            panel.hidden = true;
            say("");
            resolve(key);
          }, function () { say(S.pin_wrong); });
        };
      });
    });
  }

  /* Every record on this phone holding a photo locked under the PIN (any account's: the
     PIN is the phone's). */
  function locked() {
    return tx("records", "readonly", function (s) { return s.getAll(); }).then(function (all) {
      return all.filter(function (r) { return r.photo; });
    });
  }
  function lockedPhotos() { return locked().then(function (all) { return all.length; }); }

  /* Ask the server to allow the reset (the password or the supervisor's code), then forget
     the PIN: each locked photo is dropped and its record marked "photo to be taken again";
     the records' text stays. Resolves true when reset. */
  function resetPin() {
    if (!online()) { say(S.pin_reset_offline); return Promise.resolve(false); }
    var password = document.getElementById("pin-reset-password");
    var code = document.getElementById("pin-reset-code");
    return lockedPhotos().then(function (n) {
      return fetchJson("/api/v1/field/me").then(function (me) {
        state.me = me;
        return fetchJson("/api/v1/field/pin-reset", {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": me.csrf_token },
          body: JSON.stringify({ password: password.value, code: code.value.trim(), photos_lost: n })
        });
      }).then(function () {
        return locked().then(function (all) {
          return all.reduce(function (p, r) {
            return p.then(function () {
              r.photo = null;
              r.photo_state = "retake";
              return put(r);
            });
          }, Promise.resolve());
        }).then(function () {
          return tx("meta", "readwrite", function (s) { return s.delete("pin"); });
        }).then(function () {
          state.key = null;
          state.photo = null;
          password.value = "";
          code.value = "";
          document.getElementById("pin-reset").hidden = true;
          say(S.pin_reset_done.replace("{n}", n));
          render();
          return true;
        });
      }, function (e) {
        say(e.login ? S.sign_in : (e.status ? S.pin_reset_refused : S.pin_reset_offline));
        return false;
      });
    });
  }

  function compress(file) {
    // JPEG at most PHOTO_MAX bytes: the longest side 1600 px, then lower quality or size
    return createImageBitmap(file).then(function (img) {
      var scale = Math.min(1, 1600 / Math.max(img.width, img.height));
      function attempt(s, q) {
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(img.width * s));
        canvas.height = Math.max(1, Math.round(img.height * s));
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", q); }).then(function (blob) {
          if (blob.size <= PHOTO_MAX || s < 0.1) { return blob; }
          return q > 0.5 ? attempt(s, q - 0.15) : attempt(s * 0.75, 0.8);
        });
      }
      return attempt(scale, 0.85);
    });
  }

  function takePhoto(file) {
    if (!file) { return Promise.resolve(); }
    return unlock().then(function (key) {
      return compress(file).then(function (blob) { return blob.arrayBuffer(); }).then(function (buf) {
        return encrypt(key, buf).then(function (box) {
          state.photo = box;
          var note = document.getElementById("photo-note");
          note.textContent = S.photo_kept.replace("{kb}", Math.round(buf.byteLength / 1024));
          note.hidden = false;
        });
      });
    });
  }

  /* A photo taken again for a record whose old one was lost with a forgotten PIN: locked
     under the new PIN, sent like any other. */
  function retake(id, file) {
    if (!file) { return Promise.resolve(); }
    return unlock().then(function (key) {
      return compress(file).then(function (blob) { return blob.arrayBuffer(); }).then(function (buf) {
        return encrypt(key, buf);
      }).then(function (box) {
        return get(id).then(function (r) {
          r.photo = box;
          r.photo_state = "waiting";
          return put(r);
        });
      });
    }).then(render, function () { say(S.pin_wrong); });
  }

  // ------------------------------------------------------------------ sending

  function payload(r) {
    var out = Object.assign({}, r.data);
    out.client_id = r.client_id;
    out.registered_at = r.registered_at;
    out.device = r.device;
    return out;
  }

  function answered(answer) {
    return get(answer.client_id).then(function (r) {
      if (!r) { return; }
      r.answer = answer;
      r.state = answer.status;
      if (answer.status !== "needs_fix" && r.photo_state !== "waiting") {
        r.data = null;  // confirmed: only the receipt stays on the phone
      }
      return put(r);
    });
  }

  function sendPhotos(me) {
    function waitingOnes() {
      return mine().then(function (all) {
        return all.filter(function (r) { return r.photo && r.state !== "queued" && r.state !== "needs_fix"; });
      });
    }
    return waitingOnes().then(function (before) {
      if (!before.length) { return; }
      return unlock().then(function (key) {
        return waitingOnes().then(function (waiting) { return [key, waiting]; });
      }).then(function (both) {
        var key = both[0];
        return both[1].reduce(function (p, r) {
          return p.then(function () {
            return decrypt(key, r.photo).then(function (plain) {
              var body = new FormData();
              body.append("file", new Blob([plain], { type: "image/jpeg" }), "ktp.jpg");
              return fetch(api("/api/v1/field/records/" + encodeURIComponent(r.client_id) + "/photo"), {
                method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRF-Token": me.csrf_token }
              }).then(function (resp) {
                if (!resp.ok) { throw new Error("photo " + resp.status); }
                r.photo = null;
                r.photo_state = "sent";
                r.data = null;
                return put(r);
              });
            });
          });
        }, Promise.resolve());
      });
    });
  }

  function sync() {
    if (state.syncing) { return Promise.resolve(); }
    state.syncing = true;
    var status = document.getElementById("sync-state");
    status.textContent = S.sending;
    return fetchJson("/api/v1/field/me").then(function (me) {
      if (state.me && state.me.username !== me.username) { state.me = me; }
      state.me = me;
      return mine().then(function (all) {
        var queued = all.filter(function (r) { return r.state === "queued"; }).reverse();
        var chunks = [];
        for (var i = 0; i < queued.length; i += BATCH) { chunks.push(queued.slice(i, i + BATCH)); }
        return chunks.reduce(function (p, chunk) {
          return p.then(function () {
            return fetchJson("/api/v1/field/sync", {
              method: "POST",
              headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": me.csrf_token },
              body: JSON.stringify({ records: chunk.map(payload) })
            }).then(function (out) {
              return out.answers.reduce(function (q, a) { return q.then(function () { return answered(a); }); }, Promise.resolve());
            }).then(render);
          });
        }, Promise.resolve()).then(function () {
          return sendPhotos(me);
        }).then(function () {
          status.textContent = queued.length ? S.sync_done : S.nothing;
        });
      });
    }).catch(function (e) {
      status.textContent = e.login ? S.sign_in : S.sync_failed;
      if (e.login) {
        var a = document.createElement("a");
        a.href = "/login?next=/field/";
        a.textContent = " →";
        status.appendChild(a);
      }
    }).then(function () {
      state.syncing = false;
      return render();
    });
  }

  // ------------------------------------------------------------------ the list on the phone

  function render() {
    showNet();
    document.getElementById("signout").hidden = !(state.me && state.me.csrf_token && online());
    var who = document.getElementById("who");
    who.textContent = state.me ? S.records_of.replace("{name}", state.me.full_name || state.me.username) +
      (state.me.regions && state.me.regions.length ? " · " + (state.me.region_names || state.me.regions).join(", ") : "") : S.no_user;
    return mine().then(function (all) {
      document.getElementById("count").textContent = all.filter(function (r) { return r.state === "queued" || r.state === "needs_fix"; }).length;
      var ul = document.getElementById("records");
      ul.innerHTML = "";
      all.forEach(function (r) {
        var li = document.createElement("li");
        li.dataset.state = r.state;
        li.dataset.id = r.client_id;
        var title = document.createElement("strong");
        title.textContent = r.name || "-";
        var st = document.createElement("span");
        st.className = "state";
        st.textContent = S[r.state] || r.state;
        li.appendChild(title);
        li.appendChild(st);
        // the answer's sentence where the state's name does not say it all, then the issues
        var text = r.answer && r.state === "needs_fix" ? r.answer.message : "";
        if (r.answer && r.answer.same_as) {
          var first = all.filter(function (o) { return o.client_id === r.answer.same_as; })[0];
          if (first) { text += " " + S.same_as.replace("{name}", first.name); }
        }
        if (r.answer && r.answer.issues) {
          r.answer.issues.forEach(function (i) { text += " " + i.message; });
        }
        text = text.trim();
        if (text) { var p = document.createElement("span"); p.className = "answer"; p.textContent = text; li.appendChild(p); }
        if (r.photo_state) {
          var ph = document.createElement("span");
          ph.className = "muted";
          ph.textContent = r.photo_state === "sent" ? S.photo_sent :
            (r.photo_state === "retake" ? S.photo_retake : S.photo_waiting);
          if (r.photo_state === "retake") { ph.className = "retake"; }
          li.appendChild(ph);
        }
        var row = document.createElement("span");
        row.className = "row";
        if (r.state === "queued" || r.state === "needs_fix") {
          var edit = document.createElement("button");
          edit.type = "button"; edit.className = "link edit"; edit.textContent = S.edit;
          edit.onclick = function () {
            clearForm(false);
            var d = Object.assign({}, r.data, { client_id: r.client_id });
            fill(d);
            if (r.answer) { showIssues(r.answer.issues); }
            tab("form");
          };
          row.appendChild(edit);
        }
        if (r.photo_state === "retake") {
          var again = document.createElement("label");
          again.className = "link retake-photo";
          again.textContent = S.retake;
          var pick = document.createElement("input");
          pick.type = "file"; pick.accept = "image/*"; pick.setAttribute("capture", "environment"); pick.hidden = true;
          pick.onchange = function () { retake(r.client_id, pick.files[0]); };
          again.appendChild(pick);
          row.appendChild(again);
        }
        var unsent = r.photo && r.state !== "queued" && r.state !== "needs_fix";
        if (!unsent) {  // a receipt too; never a confirmed record's photo still to be sent
          var del = document.createElement("button");
          del.type = "button"; del.className = "link delete"; del.textContent = S["delete"];
          del.onclick = function () { if (confirm(S.confirm_delete)) { remove(r.client_id).then(render); } };
          row.appendChild(del);
        }
        li.appendChild(row);
        ul.appendChild(li);
      });
    });
  }

  function tab(name) {
    Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (b) {
      b.setAttribute("aria-pressed", b.dataset.tab === name ? "true" : "false");
    });
    form.hidden = name !== "form";
    document.getElementById("queue").hidden = name !== "queue";
  }

  // ------------------------------------------------------------------ start

  form.addEventListener("submit", function (e) { e.preventDefault(); save(false); });
  document.getElementById("save-anyway").addEventListener("click", function () { save(true); });
  document.getElementById("clear").addEventListener("click", function () { clearForm(false); });
  document.getElementById("sync").addEventListener("click", function () { sync(); });
  document.getElementById("signout").addEventListener("click", function () {
    // the queue stays on the phone: it is this account's, found again at the next sign-in
    var body = new URLSearchParams({ csrf_token: state.me.csrf_token });
    fetch("/logout", { method: "POST", body: body, credentials: "same-origin" }).then(function () {
      location.href = "/login?next=/field/";
    });
  });
  form.elements.district_code.addEventListener("change", villages);
  form.elements.photo.addEventListener("change", function () {
    takePhoto(form.elements.photo.files[0]).catch(function () { say(S.pin_wrong); });
  });
  form.elements.nik.addEventListener("blur", function () {
    if (!form.elements.nik.value) { return; }
    var n = JaringChecks.checkNik(form.elements.nik.value, { lists: state.lists || {} });
    showIssues(n.issues.filter(function (i) { return i.field === "nik"; }));
  });
  Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (b) {
    b.addEventListener("click", function () { tab(b.dataset.tab); });
  });
  window.addEventListener("online", function () { showNet(); refresh().then(function () { districts(); return render(); }); });
  window.addEventListener("offline", showNet);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" });
  }
  window.JaringField = { sync: sync, render: render, mine: mine, ready: null };
  window.JaringField.ready = refresh().then(function () { districts(); return render(); });
})();
