// The door-to-door log on a visitor's phone: no entry is lost to a dropped connection.
//
// Each door's entry is given an id made here (crypto.randomUUID) and kept in localStorage
// before anything is sent. Kept entries are sent, one at a time, to the route's JSON address
// when the page loads, when an entry is saved, when the browser says it is online again and
// every 15 seconds; an entry leaves the phone only once the server has confirmed it stored
// that id. The server stores an id once, so an entry sent twice (a reply lost on the way
// back) is still one entry. Without JavaScript the form is an ordinary form post.
(function () {
  "use strict";

  var RETRY_MS = 15000;
  var form = document.getElementById("door-log-form");
  if (!form || !window.fetch || !window.localStorage || !window.crypto) {
    return;
  }
  var storageKey = "beatbook-door-log-route-" + form.dataset.route;
  var visitsUrl = form.dataset.visitsUrl;
  var status = document.getElementById("door-queue-status");
  var refusedBox = document.getElementById("door-refused");
  var refusedList = document.getElementById("door-refused-list");
  var loggedCount = document.getElementById("door-logged-count");
  var sending = false;
  var lastAction = "";

  function load() {
    try {
      var queue = JSON.parse(window.localStorage.getItem(storageKey) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (error) {
      return [];
    }
  }

  function store(queue) {
    window.localStorage.setItem(storageKey, JSON.stringify(queue));
  }

  function update(clientId, change) {
    // Read again first: an entry may have been saved while one was being sent.
    var queue = load();
    store(change(queue, clientId));
  }

  function newId() {
    if (window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (byte) {
      return (byte + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function csrfToken() {
    var field = form.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function describe(entry) {
    return ((entry.door ? entry.door + ", " : "") + entry.postcode).trim();
  }

  function waitingText(count) {
    if (count === 0) {
      return "No entries waiting to send.";
    }
    var text = count + (count === 1 ? " entry" : " entries") + " waiting to send";
    return text + (navigator.onLine ? "." : ": there is no connection, they will be sent when it returns.");
  }

  function showRefused(queue) {
    var refused = queue.filter(function (entry) {
      return entry.state === "refused";
    });
    refusedList.textContent = "";
    refused.forEach(function (entry) {
      var item = document.createElement("li");
      item.textContent = describe(entry) + ": " + entry.error + " ";
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0";
      discard.textContent = "Discard";
      discard.addEventListener("click", function () {
        update(entry.client_id, function (all, id) {
          return all.filter(function (kept) {
            return kept.client_id !== id;
          });
        });
        show();
      });
      item.appendChild(discard);
      refusedList.appendChild(item);
    });
    refusedBox.hidden = refused.length === 0;
  }

  function show() {
    var queue = load();
    var waiting = queue.filter(function (entry) {
      return entry.state !== "refused";
    }).length;
    status.textContent = (lastAction ? lastAction + " " : "") + waitingText(waiting);
    showRefused(queue);
  }

  function countStored() {
    var count = parseInt(loggedCount.dataset.count, 10) + 1;
    loggedCount.dataset.count = String(count);
    loggedCount.textContent = count + (count === 1 ? " door" : " doors") + " logged.";
  }

  function send(entry) {
    var body = Object.assign({}, entry);
    delete body.state;
    delete body.error;
    return fetch(visitsUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(body),
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) {
        return { outcome: "later" };
      }
      return response.json().then(function (answer) {
        if ((response.status === 200 || response.status === 201) && answer.client_id === entry.client_id) {
          return { outcome: "stored", created: answer.created === true };
        }
        if (response.status === 400) {
          return { outcome: "refused", error: answer.error || "It was not accepted." };
        }
        return { outcome: "later" };
      });
    });
  }

  function sendNext() {
    var entry = load().filter(function (kept) {
      return kept.state !== "refused";
    })[0];
    if (!entry || !navigator.onLine) {
      return Promise.resolve();
    }
    return send(entry).then(function (result) {
      if (result.outcome === "later") {
        return undefined;
      }
      update(entry.client_id, function (all, id) {
        if (result.outcome === "stored") {
          return all.filter(function (kept) {
            return kept.client_id !== id;
          });
        }
        return all.map(function (kept) {
          return kept.client_id === id ? Object.assign(kept, { state: "refused", error: result.error }) : kept;
        });
      });
      if (result.outcome === "stored" && result.created) {
        countStored();
      }
      show();
      return sendNext();
    });
  }

  function flush() {
    if (sending) {
      return;
    }
    sending = true;
    sendNext()
      .catch(function () {
        // No connection, or it dropped mid-send: the entry stays and is sent later.
        return undefined;
      })
      .then(function () {
        sending = false;
        show();
      });
  }

  function problem(data) {
    if (!data.get("answered")) {
      return "Select whether the door was answered.";
    }
    var extras = data.getAll("advice").length + data.getAll("referrals").length;
    if (data.get("answered") === "no" && extras > 0) {
      return "Advice and referrals can only be given at a door that was answered.";
    }
    if (data.get("concern_action") && !String(data.get("concerns") || "").trim()) {
      return "Describe the concern to pass it on.";
    }
    return "";
  }

  function clearForm() {
    form.querySelector("[name=door]").value = "";
    form.querySelector("[name=concerns]").value = "";
    form.querySelectorAll("input[type=checkbox], input[name=answered]").forEach(function (box) {
      box.checked = false;
    });
    var nothing = form.querySelector("input[name=concern_action][value='']");
    if (nothing) {
      nothing.checked = true;
    }
  }

  form.addEventListener("submit", function (event) {
    var data = new FormData(form);
    var found = problem(data);
    if (found && navigator.onLine) {
      return; // the server shows the problem on the page, as it does without JavaScript
    }
    event.preventDefault();
    if (found) {
      lastAction = found;
      show();
      return;
    }
    var entry = {
      client_id: newId(),
      postcode: String(data.get("postcode") || ""),
      door: String(data.get("door") || "").trim(),
      answered: data.get("answered") === "yes",
      advice: data.getAll("advice").map(String),
      referrals: data.getAll("referrals").map(String),
      concerns: String(data.get("concerns") || ""),
      concern_action: String(data.get("concern_action") || ""),
      visited_at: new Date().toISOString(),
    };
    var queue = load();
    queue.push(entry);
    store(queue);
    lastAction = "Saved " + describe(entry) + " on this phone.";
    clearForm();
    show();
    form.querySelector("[name=door]").focus();
    flush();
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", show);
  window.setInterval(flush, RETRY_MS);
  show();
  flush();
})();
