// A live meeting screen (projector, phone, desk): applies the meeting's state as it changes.
// The state comes pushed by the live service (Server-Sent Events, data-live-stream) or, without one, by polling
// data-live-poll with If-None-Match (304 while nothing changed). The page is rendered with the state of its
// moment, so it reads without this script; the script only keeps it current.
(() => {
  const root = document.querySelector("[data-live-root]");
  if (!root) return;
  let clockOffset = 0; // the server's clock minus this device's: the speaker's timer runs on the server's time
  let current = null;
  const voted = new Set((root.dataset.voted || "").split(" ").filter(Boolean));
  const saidHere = new Set();  // votes whose ballot this page sent and whose answer it showed
  let lastVote;  // the vote the ballot forms were last set for

  const at = (state, path) => path.split(".").reduce((value, key) => (value == null ? null : value[key]), state);

  function fill(scope, state) {
    for (const el of scope.querySelectorAll("[data-live-text]")) {
      const value = at(state, el.dataset.liveText);
      el.textContent = value == null ? "" : String(value);
    }
    for (const el of scope.querySelectorAll("[data-live-if]")) el.hidden = !at(state, el.dataset.liveIf);
    for (const el of scope.querySelectorAll("[data-live-unless]")) el.hidden = Boolean(at(state, el.dataset.liveUnless));
    for (const el of scope.querySelectorAll("[data-live-href]")) {
      const value = at(state, el.dataset.liveHref);
      if (value) el.setAttribute("href", value);
    }
    for (const el of scope.querySelectorAll("[data-live-class]")) {
      const [path, yes, no] = el.dataset.liveClass.split(":");
      const on = Boolean(at(state, path));
      el.classList.toggle(yes, on);
      if (no) el.classList.toggle(no, !on);
    }
  }

  function renderLists(state) {
    for (const list of root.querySelectorAll("[data-live-list]")) {
      const template = document.getElementById(list.dataset.liveTemplate);
      const items = at(state, list.dataset.liveList) || [];
      list.replaceChildren(...items.map((item) => {
        const node = template.content.firstElementChild.cloneNode(true);
        fill(node, item);
        if (node.matches("[data-live-text]")) node.textContent = at(item, node.dataset.liveText) ?? "";
        return node;
      }));
    }
  }

  function ballots(state) {
    const vote = state.vote;
    const fresh = (vote && vote.id) !== lastVote;
    lastVote = vote && vote.id;
    for (const form of root.querySelectorAll("form[data-live-ballot]")) {
      const open = Boolean(vote && vote.open);
      const status = fresh && document.getElementById(form.dataset.liveSend);
      if (status) status.textContent = "";  // what was said of the last vote is not said of this one
      form.hidden = !open || voted.has(vote.id) || Boolean(vote.sealed);  // a sealed one has its own page
      if (open) form.setAttribute("action", form.dataset.base.replace("VOTE_ID", vote.id));
    }
    for (const note of root.querySelectorAll("[data-live-voted]")) {
      // The phone's own answer already said it, with the choice: the note is for a page opened after voting.
      note.hidden = !(vote && vote.open && voted.has(vote.id)) || saidHere.has(vote.id);
    }
  }

  // A page listing votes (the desk) keeps the open one's turnout and counts current: its block names the vote
  // (data-live-vote), its fields a path into the state's vote (data-vote-text).
  function votes(state) {
    const vote = state.vote;
    if (!vote) return;
    for (const scope of document.querySelectorAll(`[data-live-vote="${vote.id}"]`)) {
      for (const el of scope.querySelectorAll("[data-vote-text]")) {
        const value = at(vote, el.dataset.voteText);
        el.textContent = value == null ? "" : String(value);
      }
    }
  }

  function tick() {
    const speaker = current && current.speaker;
    for (const el of root.querySelectorAll("[data-live-timer]")) {
      if (!speaker) { el.textContent = ""; continue; }
      const elapsed = (Date.now() + clockOffset - Date.parse(speaker.started_at)) / 1000;
      const left = Math.round(speaker.limit_seconds - elapsed);
      const shown = Math.abs(left);
      el.textContent = `${left < 0 ? "−" : ""}${Math.floor(shown / 60)}:${String(shown % 60).padStart(2, "0")}`;
      el.classList.toggle("over", left < 0);
    }
  }

  function apply(state, pushed = false) {
    if (current && state.version && current.version && state.version < current.version) return; // an older one
    // A pushed state may be the one the live service kept; its own clock event sets the offset instead.
    if (state.now && !pushed) clockOffset = Date.parse(state.now) - Date.now();
    current = state;
    fill(root, state);
    // Parts of a page outside its live root that follow the state too (the desk's notice of floor motions).
    for (const part of document.querySelectorAll("[data-live-outside]")) fill(part, state);
    renderLists(state);
    ballots(state);
    votes(state);
    tick();
    document.body.dispatchEvent(new CustomEvent("konsey-live", { detail: state }));
  }

  const initial = document.getElementById("live-state");
  if (initial) apply(JSON.parse(initial.textContent));
  setInterval(tick, 250);

  let tag = null;
  const poll = async () => {
    try {
      const answer = await fetch(root.dataset.livePoll, { headers: tag ? { "If-None-Match": tag } : {} });
      if (answer.status === 200) {
        tag = answer.headers.get("ETag");
        apply(await answer.json());
      }
    } catch (_ignored) { /* the next poll tries again */ }
    setTimeout(poll, 1000);
  };
  const clock = (event) => { clockOffset = Date.parse(event.data) - Date.now(); tick(); };
  if (root.dataset.liveStream && window.EventSource) {
    const source = new EventSource(root.dataset.liveStream);
    let failures = 0;
    source.addEventListener("open", () => { failures = 0; });
    source.addEventListener("state", (event) => apply(JSON.parse(event.data), true));
    source.addEventListener("clock", clock);
    source.addEventListener("error", () => {
      // EventSource reconnects by itself after a dropped connection; a refusal (an expired key, a proxy's 502)
      // closes it for good, and a service that stays away keeps failing: the screen polls the web instead.
      failures += 1;
      if ((source.readyState === EventSource.CLOSED || failures >= 5) && root.dataset.livePoll) {
        source.close();
        setTimeout(poll, 0);
      }
    });
  } else if (root.dataset.livePoll) {
    setTimeout(poll, 1000);
  }

  // How many times a ballot is sent again while the service is unavailable: a database failing over takes well
  // under a minute (docs/scaling.md), and Retry-After paces the tries.
  const RETRIES = 30;
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // The phone's forms (vote, floor) are sent without leaving the page; the answer says what happened.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("form[data-live-send]") || !window.fetch) return;
    event.preventDefault();
    const data = new FormData(form);
    if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
    const status = document.getElementById(form.dataset.liveSend);
    const ballot = form.matches("[data-live-ballot]");
    // The vote this ballot is for, fixed now: while it is sent again, the live state may open the next vote and
    // move the form's action; the ballot stays with its own vote.
    const action = form.getAttribute("action");
    const voteId = ballot && current && current.vote ? current.vote.id : null;
    const buttons = Array.from(form.querySelectorAll("button"));
    // A ballot carries a key of its own: sent again after a lost answer (the server switching to its standby
    // database answers 503 with Retry-After, or the connection drops), it is recorded once.
    if (ballot) {
      data.append("key", newKey());
      buttons.forEach((button) => { button.disabled = true; });  // one ballot in flight, not a second tap's
    }
    try {
      let answer;
      for (let tries = 0; ; tries += 1) {
        try {
          answer = await fetch(action, { method: "POST", body: data, headers: { "X-Konsey-Fetch": "1" } });
        } catch (lost) {
          if (!ballot || tries >= RETRIES) throw lost;
          answer = null;
        }
        if (!ballot || (answer && answer.status !== 503) || tries >= RETRIES) break;
        if (current && current.vote && current.vote.id === voteId && !current.vote.open) break;  // closed meanwhile
        if (status) status.textContent = form.dataset.retrying || "";
        const wait = answer ? Number(answer.headers.get("Retry-After")) || 2 : 2;
        await new Promise((done) => setTimeout(done, Math.min(wait, 10) * 1000));
        data.set("again", "1");
      }
      if (!answer) throw new Error("no answer");
      const said = await answer.json();
      if (status) status.textContent = said.message || "";
      if (answer.ok && ballot && voteId) {
        voted.add(voteId);
        saidHere.add(voteId);
        if (current) ballots(current);
      }
      if (answer.ok && form.dataset.hideWhenDone !== undefined) form.hidden = true;  // done once: the answer stays
      if (answer.ok && form.dataset.reload !== undefined) window.location.reload();
    } catch (_ignored) {
      if (status) status.textContent = form.dataset.offline || "";
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  });

  // The open phone page's sign of life: a phone silent longer than the by-laws allow is checked out.
  const heartbeat = root.querySelector("form[data-heartbeat]");
  if (heartbeat) {
    const every = Number(heartbeat.dataset.heartbeat) * 1000;
    setInterval(() => {
      fetch(heartbeat.getAttribute("action"), { method: "POST", body: new FormData(heartbeat),
        headers: { "X-Konsey-Fetch": "1" } }).catch(() => {});
    }, every);
  }
  const join = root.querySelector("form[data-auto-join]");
  if (join) join.requestSubmit();
})();
