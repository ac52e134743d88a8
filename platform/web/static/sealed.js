// The sealed ballot's page: a voter's phone seals the ballot here; a keyholder's phone makes its part of the key,
// keeps it (localStorage, and an encrypted backup the member downloads), signs the hall's paper counts and opens
// its part of the count. The arithmetic is opencount.js; this file is the page.
import { Keyholder, fingerprint, keyCheck, seal, statementOf, sumsOf, tracker } from './opencount.js';

const root = document.querySelector('[data-sealed-root]');
const texts = JSON.parse(root.dataset.texts);
const say = (text, values = {}) => text.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ''));
const box = root.dataset.box;
const me = root.dataset.me ? Number(root.dataset.me) : null;
const storeKey = `opencount:${box}:${me}`;
const stageLine = root.querySelector('[data-sealed-stage]');
const keyStatus = root.querySelector('[data-key-status]');
let state = null;
let busy = false;
const decryptButton = root.querySelector('[data-key-decrypt]');
let pending = null; // the board this keyholder may open now, once they have looked at it
let opening = false; // their part of the count on its way
const checkLine = root.querySelector('[data-key-check]');

const supported = typeof BigInt === 'function' && window.crypto && window.crypto.getRandomValues && window.crypto.subtle;
if (!supported) root.querySelector('[data-sealed-unsupported]').hidden = false;

async function post(step, body) {
  const answer = await fetch(`${root.dataset.base}/${step}`, {
    method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', 'X-Konsey-Fetch': '1' },
  });
  const said = await answer.json();
  if (!answer.ok) { const error = new Error(said.message || texts.error); error.status = answer.status; throw error; }
  return said;
}

function saved() {
  const raw = localStorage.getItem(storeKey);
  return raw ? JSON.parse(raw) : null;
}
const keep = (holder) => localStorage.setItem(storeKey, JSON.stringify(holder.state()));
const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** What the box is, computed here from what the server shows (its options, its rules, every transport key):
 * null until every keyholder has given one. A server whose own statement differs is not believed. */
function statementHere() {
  const keys = state.keyholders.map((h) => h.transport_key);
  if (!keys.every(Boolean)) return null;
  const mine = statementOf(box, state.options, state.least, state.most, state.threshold, keys);
  if (state.statement && toHex(mine) !== state.statement) throw new Error(texts.untrusted);
  return mine;
}

// --- the keyholder's device ----------------------------------------------------------------------------------
async function keyholderStep() {
  if (me === null || !supported || !state) return;
  const mine = state.keyholders.find((h) => h.index === me);
  if (state.stage !== 'counting') { pending = null; decryptButton.hidden = true; }  // nothing (more) to open
  const local = saved();
  let holder = local ? new Keyholder(box, me, state.threshold, undefined, local) : null;
  if (state.stage === 'keying') {
    if (!holder && !mine.transport_key) {
      keyStatus.textContent = texts.key_new;
      holder = new Keyholder(box, me, state.threshold);
      keep(holder);
    }
    if (!holder || (mine.transport_key && mine.transport_key !== holder.transportKey.toHex())) {
      keyStatus.textContent = texts.key_elsewhere;
      return;
    }
    if (!mine.transport_key) { await post('transport', { transport_key: holder.transportKey.toHex() }); return; }
    const transport = Object.fromEntries(state.keyholders.map((h) => [h.index, h.transport_key]));
    const statement = statementHere();
    if (statement && !mine.dealing) {
      await post('dealing', { dealing: holder.dealing(transport, statement) });
      return;
    }
    const dealings = Object.fromEntries(state.keyholders.map((h) => [h.index, h.dealing]));
    if (Object.values(dealings).every(Boolean) && !mine.confirmed) {
      let proof;
      try {
        proof = holder.receive(dealings, statement, transport).proof;
      } catch (error) {
        if (error.dealer) { await post('complaint', { against: error.dealer }); return; }
        throw error;
      }
      keep(holder);  // the share, before the server hears of it: a lost answer cannot lose the share
      await post('confirm', { proof });
      return;
    }
    const done = state.keyholders.filter((h) => h.confirmed).length;
    keyStatus.textContent = say(texts.key_waiting, { done, all: state.keyholders.length });
  } else if (state.stage === 'open') {
    keyStatus.textContent = holder && holder.share !== null ? texts.key_ready : texts.no_share;
  } else if (state.stage === 'counting') {
    if (!mine.decrypted) {
      if (opening) return;
      if (!holder || holder.share === null) { keyStatus.textContent = texts.no_share; return; }
      // The board as published, its sums and fingerprint computed here: this phone opens only the sum of the
      // ballots it can see, never a sum the server names, and only one board of this box ever.
      const paper = state.paper ? { counts: state.paper.counts, ballots: state.paper.ballots } : null;
      const board = fingerprint(statementHere(), state.public_key, state.board, paper);
      if (board !== state.fingerprint) { keyStatus.textContent = texts.untrusted; return; }
      const opened = localStorage.getItem(`${storeKey}:opened`);
      if (opened && opened !== board) { keyStatus.textContent = texts.untrusted; return; }
      const line = say(texts.board, { ballots: state.board.length, paper: paper ? paper.ballots : 0 });
      if (keyStatus.textContent !== line) keyStatus.textContent = line;
      pending = { board, sums: () => sumsOf(state.board, state.options.length), holder };
      decryptButton.hidden = false;
      return;
    }
    decryptButton.hidden = true;
    const done = state.keyholders.filter((h) => h.decrypted).length;
    keyStatus.textContent = say(texts.decrypted, { done, need: state.threshold });
  } else {
    keyStatus.textContent = texts[state.stage] || '';
  }
}

// A keyholder opens their part of the count by hand, for the board they were shown, and only once per box.
if (decryptButton) {
  decryptButton.addEventListener('click', async () => {
    if (!pending) return;
    const { board, sums, holder } = pending;
    pending = null;
    opening = true;
    decryptButton.hidden = true;
    keyStatus.textContent = texts.decrypting;
    localStorage.setItem(`${storeKey}:opened`, board);
    try {
      await post('decryption', { shares: holder.decrypt(board, sums()) });
    } catch (error) {
      keyStatus.textContent = error.message;
    } finally {
      opening = false;
    }
  });
}

// --- the page's state, polled while something is to happen -----------------------------------------------------
async function refresh() {
  try {
    const answer = await fetch(root.dataset.stateUrl, { headers: { 'X-Konsey-Fetch': '1' }, cache: 'no-store' });
    if (answer.ok) state = await answer.json();
  } catch (_offline) { /* polled again */ }
  if (state) {
    stageLine.textContent = texts[state.stage] || '';
    if (checkLine && state.public_key) {
      try {
        const code = keyCheck(statementHere(), state.keyholders.map((h) => h.dealing.commitments));
        checkLine.hidden = false;
        checkLine.querySelector('code').textContent = code;
      } catch (error) { checkLine.hidden = false; checkLine.textContent = error.message; }
    }
    stageLine.dataset.stage = state.stage;
    const ballot = root.querySelector('form[data-sealed-ballot]');
    if (ballot) ballot.hidden = !(supported && state.stage === 'open');
    const paper = root.querySelector('form[data-key-paper]');
    if (paper) paper.hidden = state.stage !== 'open';
    if (!busy) {
      busy = true;
      try { await keyholderStep(); } catch (error) { if (keyStatus) keyStatus.textContent = error.message; }
      busy = false;
    }
  }
  const waiting = !state || ['keying', 'counting'].includes(state.stage) || (me !== null && state.stage === 'open');
  setTimeout(refresh, waiting ? 1000 : 5000);
}

// --- the voter's ballot -----------------------------------------------------------------------------------------
const ballotForm = root.querySelector('form[data-sealed-ballot]');
if (ballotForm) {
  ballotForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const said = root.querySelector('[data-sealed-said]');
    const boxes = [...ballotForm.querySelectorAll('input[name=mark]')];
    const marks = boxes.map((input) => (input.checked ? 1 : 0));
    const chosen = marks.reduce((a, b) => a + b, 0);
    const least = Number(root.dataset.least); const most = Number(root.dataset.most);
    if (chosen < least || chosen > most) {
      said.textContent = least === 1 && most === 1 ? texts.choose_one : texts.choose_range;
      return;
    }
    said.textContent = texts.sealing;
    const button = ballotForm.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const ballot = seal(box, statementHere(), state.public_key, marks, least, most);
      const mine = tracker(ballot);
      const answer = await post('ballot', { ballot });
      if (answer.tracker !== mine) { said.textContent = texts.mismatch; return; }
      said.textContent = answer.message;
      const line = root.querySelector('[data-sealed-tracker]');
      line.hidden = false;
      line.querySelector('code').textContent = answer.tracker;
    } catch (error) {
      said.textContent = error.status ? error.message : texts.offline;
    } finally {
      button.disabled = false;
    }
  });
}

// --- the keyholder's paper counts, backup and restore ----------------------------------------------------------
const paperForm = root.querySelector('form[data-key-paper]');
if (paperForm) {
  paperForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const said = root.querySelector('[data-paper-said]');
    const local = saved();
    if (!local) { said.textContent = texts.no_share; return; }
    const holder = new Keyholder(box, me, state.threshold, undefined, local);
    const counts = [...paperForm.querySelectorAll('input[name=count]')].map((input) => Number(input.value));
    const ballots = Number(paperForm.querySelector('input[name=ballots]').value);
    try {
      const answer = await post('paper', { counts, ballots, signature: holder.signPaper(counts, ballots) });
      said.textContent = say(texts.signed, { done: answer.paper.signatures.length, need: answer.threshold });
    } catch (error) {
      said.textContent = error.message;
    }
  });
}

const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function passKey(passphrase, salt) {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', salt, iterations: 600000, hash: 'SHA-256' }, material,
    { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

const backupForm = root.querySelector('form[data-key-backup]');
if (backupForm) {
  backupForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const passphrase = backupForm.querySelector('input[name=passphrase]').value;
    if (passphrase.length < 12) { keyStatus.textContent = texts.passphrase_short; return; }
    const local = saved();
    if (!local) { keyStatus.textContent = texts.no_share; return; }
    const salt = crypto.getRandomValues(new Uint8Array(16)); const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await passKey(passphrase, salt),
      new TextEncoder().encode(JSON.stringify(local)));
    const file = JSON.stringify({ format: 'konsey-key-backup/v1', box, index: me, kdf: 'PBKDF2-SHA256-600000',
      salt: b64(salt), iv: b64(iv), sealed: b64(sealed) });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([file], { type: 'application/json' }));
    link.download = `anahtar-${box.slice(0, 8)}-${me}.json`;
    document.body.append(link); link.click(); link.remove();
    keyStatus.textContent = texts.backup_done;
  });
}

const restoreForm = root.querySelector('form[data-key-restore]');
if (restoreForm) {
  restoreForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const file = JSON.parse(await restoreForm.querySelector('input[type=file]').files[0].text());
      if (file.box !== box || file.index !== me) throw new Error('another key');
      const opened = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(file.iv) },
        await passKey(restoreForm.querySelector('input[name=passphrase]').value, unb64(file.salt)), unb64(file.sealed));
      localStorage.setItem(storeKey, new TextDecoder().decode(opened));
      keyStatus.textContent = texts.restore_done;
    } catch (_error) {
      keyStatus.textContent = texts.restore_failed;
    }
  });
}

refresh();
