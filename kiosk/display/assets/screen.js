// The entrance screen. It shows what the kiosk streams on /events and posts
// the delegate's touches to /command/…; it stores nothing (no storage, no
// cookies, no history, no cache) and builds its DOM with textContent only.
"use strict";

(() => {
  // The page's own words come from the kiosk's text tables (/words.js);
  // the kiosk sends its other texts (reason, notice, health messages)
  // already in the screen's language.
  const { languages, words } = window.kioskWords;

  const $ = (id) => document.getElementById(id);
  const body = document.body;
  let lang = languages[0];
  let expiry = 0; // timer that clears the result at its Until
  let watchdog = 0; // timer that blanks the page when the stream goes quiet
  let heartbeatMs = 15000;
  let stream = null;

  // say is the word for key, with {0}, {1}… replaced by the arguments.
  const say = (key, ...args) => words[lang][key].replace(/\{(\d)\}/g, (_, i) => String(args[i]));

  const element = (tag, className, text) => {
    const e = document.createElement(tag);
    e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  function applyWords() {
    document.documentElement.lang = lang;
    document.title = say("title");
    for (const e of document.querySelectorAll("[data-label]")) e.textContent = say(e.dataset.label);
    for (const e of document.querySelectorAll("#lang [data-lang]")) e.classList.toggle("on", e.dataset.lang === lang);
  }

  function render(m) {
    lang = languages.includes(m.lang) ? m.lang : languages[0];
    applyWords();
    body.dataset.state = m.state;
    $("school").textContent = m.school || "";
    renderInformativa(m.informativa || "");
    const op = m.operator;
    $("operator").textContent = op ? say("operator") + ": " + op.name + (op.role ? ", " + op.role : "") : "";
    $("notice").textContent = m.notice || "";
    renderClasses(m.classes || []);
    renderClass(m.class);
    renderResult(m.result);
    renderHealth(m.health || {});
    body.dataset.seq = String(m.seq);
  }

  // renderInformativa shows the privacy notice's QR on the locked screen,
  // loading the image again only when the address changes.
  function renderInformativa(address) {
    const fig = $("informativa");
    fig.hidden = address === "";
    if (address !== "" && fig.dataset.address !== address) {
      fig.dataset.address = address;
      $("informativa-qr").src = "/informativa.png?address=" + encodeURIComponent(address);
    }
  }

  function renderClasses(classes) {
    $("classes").replaceChildren(
      ...classes.map((c) => {
        const b = element("button", "class-button");
        b.type = "button";
        b.dataset.class = c.name;
        b.append(element("span", "name", c.name), element("span", "meta", c.enrolled === 1 ? say("enrolledOne") : say("enrolled", c.enrolled)));
        if (c.verificationUntil) b.append(element("span", "meta", say("checkUntil", c.verificationUntil)));
        b.addEventListener("click", () => command("choose-class", { class: c.name }));
        return b;
      }),
    );
  }

  function renderClass(c) {
    $("class-name").textContent = c ? say("class") + " " + c.name : "";
    $("class-count").textContent = c ? say("verified", c.admitted + c.refused, c.enrolled) + " — " + say("tally", c.admitted, c.refused) : "";
    $("class-until").textContent = c && c.verificationUntil ? say("checkUntil", c.verificationUntil) : "";
  }

  function renderResult(r) {
    clearTimeout(expiry);
    delete body.dataset.expired;
    clearPerson();
    if (!r) return;
    const v = $("verdict");
    v.classList.toggle("admit", r.admit);
    v.classList.toggle("deny", !r.admit);
    $("verdict-word").textContent = r.admit ? "✔ " + say("admit") : "✘ " + say("deny");
    $("reason").textContent = r.reason || "";
    const p = r.person;
    if (p) {
      $("name").append(element("span", "family", p.familyName), " ", element("span", "given", p.givenName));
      $("dob").append(element("span", "label", say("dateOfBirth") + " "), p.dateOfBirth);
      fitWidth($("name"));
    } else {
      $("name").append(element("span", "missing", say("noPerson")));
    }
    // Belt and braces: the kiosk sends the next screen when the time is
    // up, but the page clears the person by itself even if it never comes.
    const left = Date.parse(r.until) - Date.now();
    if (left > 0) expiry = setTimeout(expire, left);
    else expire();
  }

  function expire() {
    clearPerson();
    body.dataset.expired = "true";
  }

  function clearPerson() {
    $("name").replaceChildren();
    $("name").style.fontSize = "";
    $("dob").replaceChildren();
  }

  // fitWidth shrinks a one-line text until it fits its box (long names).
  function fitWidth(e) {
    let size = parseFloat(getComputedStyle(e).fontSize);
    const min = size * 0.45;
    while (e.scrollWidth > e.clientWidth && size > min) {
      size *= 0.92;
      e.style.fontSize = size + "px";
    }
  }

  function renderHealth(h) {
    const office = $("health-office");
    office.hidden = !h.office;
    if (h.office) {
      office.className = "part " + (h.office.ok ? "ok" : "bad");
      office.textContent = h.office.message;
    }
    for (const [part, key] of [["trustData", "trust"], ["camera", "camera"], ["audio", "audio"], ["light", "light"]]) {
      const s = h[part] || { ok: false };
      const e = $("health-" + part);
      e.className = "part " + (s.ok ? "ok" : "bad");
      e.textContent = s.message || say(key + (s.ok ? "OK" : "Bad"));
    }
  }

  async function command(kind, payload) {
    try {
      const res = await fetch("/command/" + kind, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload),
        cache: "no-store",
        credentials: "omit",
      });
      if (!res.ok) throw new Error("status " + res.status);
    } catch {
      $("notice").textContent = say("commandFailed");
    }
  }

  // The stream. Every event proves the kiosk alive; three heartbeats of
  // silence, or an error, blank the page until the stream is back.
  function alive() {
    body.dataset.online = "true";
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      offline();
      connect();
    }, 3 * heartbeatMs);
  }

  function offline() {
    body.dataset.online = "false";
    expire();
  }

  function connect() {
    clearTimeout(watchdog);
    if (stream) stream.close();
    stream = new EventSource("/events");
    stream.addEventListener("ping", (e) => {
      heartbeatMs = Number(e.data) || heartbeatMs;
      alive();
    });
    stream.addEventListener("screen", (e) => {
      alive();
      render(JSON.parse(e.data));
    });
    stream.addEventListener("error", () => {
      offline();
      // The browser retries a dropped stream by itself, not a refused one.
      if (stream.readyState === EventSource.CLOSED) watchdog = setTimeout(connect, 1000);
    });
  }

  $("lock").addEventListener("click", () => command("lock", {}));
  for (const l of languages) {
    const e = element("span", "", l.toUpperCase());
    e.dataset.lang = l;
    $("lang").append(e);
  }
  $("lang").addEventListener("click", () => command("language", { lang: languages[(languages.indexOf(lang) + 1) % languages.length] }));
  applyWords();
  connect();
})();
