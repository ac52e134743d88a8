// The sealed ballot's arithmetic in the browser: the same protocol as the Python package `opencount`
// (verifier/opencount/box.py), step for step and draw for draw, so that the shared test vectors
// (verifier/vectors.json) give the same bytes on both sides. Group operations are @noble/curves' ristretto255;
// only the protocol is written here.
import { ristretto255, sha256, sha512 } from './vendor/noble/noble-ristretto.js';

const Point = ristretto255.Point;
export const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
const DOMAIN = new TextEncoder().encode('opencount/v1/');

const mod = (x) => { const v = BigInt(x) % ORDER; return v < 0n ? v + ORDER : v; };
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (text) => Uint8Array.from(text.match(/../g) || [], (h) => parseInt(h, 16));
const concat = (...arrays) => {
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) { out.set(a, at); at += a.length; }
  return out;
};

export function scalarBytes(x) {
  let v = mod(BigInt(x));
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) { out[i] = Number(v & 255n); v >>= 8n; }
  return out;
}
const scalarHex = (x) => hex(scalarBytes(x));
export function scalarFromHex(text) {
  const bytes = unhex(text);
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}
const littleEndian = (bytes) => scalarFromHex(hex(bytes));
export function point(text, identity = false) {
  if (typeof text !== 'string' || !/^[0-9a-f]{64}$/.test(text)) throw new Error('not a point');
  const p = Point.fromHex(text);
  if (!identity && p.equals(Point.ZERO)) throw new Error('the identity point');
  return p;
}
const base = (x) => Point.BASE.multiplyUnsafe(mod(x));
const mul = (x, p) => p.multiplyUnsafe(mod(x));
const ptHex = (p) => p.toHex();
const total = (points) => points.reduce((a, b) => a.add(b), Point.ZERO);

function part(value) {
  if (typeof value === 'bigint' || typeof value === 'number') return scalarBytes(value);
  if (typeof value === 'string') return new TextEncoder().encode(value);
  if (value instanceof Uint8Array) return value;
  return value.toBytes(); // a point
}

/** The Fiat-Shamir challenge: SHA-512(domain ‖ label ‖ 0 ‖ each part with its 4-byte length), reduced. */
export function challenge(label, ...parts) {
  const pieces = [DOMAIN, new TextEncoder().encode(label), new Uint8Array([0])];
  for (const p of parts) {
    const raw = part(p);
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, raw.length);
    pieces.push(len, raw);
  }
  return mod(littleEndian(sha512(concat(...pieces))));
}

/** A random non-zero scalar from the browser's cryptographic generator. */
export function randomScalar() {
  for (;;) {
    const x = mod(littleEndian(crypto.getRandomValues(new Uint8Array(64))));
    if (x !== 0n) return x;
  }
}

/** The draws of the shared test vectors: challenge("test-rng", seed, k) for k = 0, 1, … */
export function seededRandom(seed) {
  let k = 0;
  return () => challenge('test-rng', seed, k++);
}

const proofJson = (proof) => proof.map(([c, z]) => [scalarHex(c), scalarHex(z)]);
const proofOf = (json) => json.map(([c, z]) => [scalarFromHex(c), scalarFromHex(z)]);

/** The one serialisation that is hashed: keys sorted, no spaces (Python's json.dumps(sort_keys=True,
 * separators=(",", ":"), ensure_ascii=False) writes the same bytes for these values). */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
const utf8 = (text) => new TextEncoder().encode(text);

/** What the box is (see opencount.box.statement): hashed into every proof and the board's fingerprint. */
export function statementOf(box, options, least, most, threshold, transportKeys) {
  return sha256(utf8(canonical({ box, options, least, most, threshold, transport_keys: transportKeys })));
}

/** The short code the keyholders read to each other: each phone computes it from what it received. */
export function keyCheck(statement, commitments) {
  const digest = hex(sha256(concat(statement, utf8(canonical(commitments))))).slice(0, 12).toUpperCase();
  return `${digest.slice(0, 4)}-${digest.slice(4, 8)}-${digest.slice(8, 12)}`;
}

/** The fingerprint of the frozen board, as the server and the verifier compute it. */
export function fingerprint(statement, keyHex, ballots, paper) {
  return hex(sha256(utf8(canonical({ statement: hex(statement), key: keyHex, ballots, paper }))));
}

/** Each option's sum over the ballots: [[A, B] hex, …] (the identity for none). */
export function sumsOf(ballots, options) {
  const sums = Array.from({ length: options }, () => [Point.ZERO, Point.ZERO]);
  for (const ballot of ballots) {
    ballot.choices.forEach((c, i) => { sums[i] = [sums[i][0].add(point(c.a)), sums[i][1].add(point(c.b, true))]; });
  }
  return sums.map(([a, b]) => [a.toHex(), b.toHex()]);
}

function checkKey(label, context, pub, proof) {
  const [[c, z]] = proof;
  return challenge(label, ...context, pub, base(z).subtract(mul(c, pub))) === c;
}

function proveKey(label, context, x, pub, rand) {
  const w = rand();
  const c = challenge(label, ...context, pub, base(w));
  return [[c, mod(w + c * x)]];
}

function proveSameLog(label, context, x, pub, otherBase, other, rand) {
  const w = rand();
  const c = challenge(label, ...context, pub, otherBase, other, base(w), mul(w, otherBase));
  return [[c, mod(w + c * x)]];
}

const shifted = (beta, value) => (value === 0 ? beta : beta.subtract(base(value)));

function proveOneOf(label, context, key, alpha, beta, r, value, values, rand) {
  const branches = values.map((candidate) => {
    if (candidate === value) return null;
    const c = rand(); const z = rand();
    return [c, z, base(z).subtract(mul(c, alpha)), mul(z, key).subtract(mul(c, shifted(beta, candidate)))];
  });
  const w = rand();
  const commitments = [];
  for (const b of branches) commitments.push(...(b === null ? [base(w), mul(w, key)] : b.slice(2)));
  const all = challenge(label, ...context, key, alpha, beta, ...commitments);
  const real = mod(all - branches.reduce((s, b) => (b === null ? s : s + b[0]), 0n));
  return branches.map((b) => (b === null ? [real, mod(w + real * r)] : [b[0], b[1]]));
}

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export function binding(pairs) {
  return sha256(concat(...pairs.flatMap(([a, b]) => [a.toBytes(), b.toBytes()])));
}

export function canonicalBallot(ballot) {
  // Keys are written in sorted order and values are hex strings and arrays: JSON.stringify gives the canonical form.
  return JSON.stringify({
    choices: ballot.choices.map((c) => ({ a: c.a, b: c.b, proof: c.proof })), count_proof: ballot.count_proof,
  });
}

export const tracker = (ballot) => hex(sha256(new TextEncoder().encode(canonicalBallot(ballot))));

/** A ballot: marks[i] is 0 or 1 for option i; the count of marks between least and most. */
export function seal(box, statement, keyHex, marks, least, most, rand = randomScalar) {
  const key = point(keyHex);
  const rs = marks.map(() => rand());
  const pairs = marks.map((m, i) => [base(rs[i]), m ? base(m).add(mul(rs[i], key)) : mul(rs[i], key)]);
  const context = [box, statement, binding(pairs)];
  const choices = pairs.map(([a, b], i) => ({
    a: ptHex(a), b: ptHex(b), proof: proofJson(proveOneOf('choice', context, key, a, b, rs[i], marks[i], [0, 1], rand)),
  }));
  const alpha = total(pairs.map((p) => p[0])); const beta = total(pairs.map((p) => p[1]));
  const sum = marks.reduce((s, m) => s + m, 0);
  const countProof = proveOneOf('count', context, key, alpha, beta, mod(rs.reduce((s, r) => s + r, 0n)), sum,
    range(least, most), rand);
  return { choices, count_proof: proofJson(countProof) };
}

const sharePoint = (commitments, index) => {
  let result = Point.ZERO; let power = 1n;
  for (const c of commitments) { result = result.add(mul(power, c)); power = mod(power * BigInt(index)); }
  return result;
};
const shareMask = (box, sender, recipient, ephemeral, shared) => challenge('share', box, sender, recipient, ephemeral, shared);
const paperMessage = (box, counts, ballots) => [box, new TextEncoder().encode(JSON.stringify({ ballots, paper: counts }))];
const dealingMessage = (box, statement, index, commitments, shares) => [box, statement, index,
  utf8(canonical({ commitments, shares }))];

/** A keyholder's device. Its secrets (the transport key, the polynomial, the share) never leave it but in an
 * encrypted backup; ``state()`` is what the browser keeps. */
export class Keyholder {
  constructor(box, index, threshold, rand = randomScalar, state = null) {
    this.box = box; this.index = index; this.threshold = threshold; this.rand = rand;
    if (state) {
      this.transport = scalarFromHex(state.transport);
      this.coefficients = state.coefficients.map(scalarFromHex);
      this.share = state.share ? scalarFromHex(state.share) : null;
    } else {
      this.transport = rand();
      this.coefficients = Array.from({ length: threshold }, () => rand());
      this.share = null;
    }
    this.transportKey = base(this.transport);
  }

  state() {
    return { box: this.box, index: this.index, threshold: this.threshold, transport: scalarHex(this.transport),
      coefficients: this.coefficients.map(scalarHex), share: this.share === null ? null : scalarHex(this.share) };
  }

  /** transportKeys: {index: hex}. The commitments, their proof, each keyholder's masked share, all signed. */
  dealing(transportKeys, statement) {
    const commitments = this.coefficients.map(base);
    const shares = {};
    for (const j of Object.keys(transportKeys).map(Number).sort((a, b) => a - b)) {
      const value = mod(this.coefficients.reduce((s, a, t) => s + a * BigInt(j) ** BigInt(t), 0n));
      const e = this.rand();
      const ephemeral = base(e);
      const mask = shareMask(this.box, this.index, j, ephemeral, mul(e, point(transportKeys[j])));
      shares[String(j)] = { e: ptHex(ephemeral), s: scalarHex(value + mask) };
    }
    const proof = proveKey('coefficient', [this.box, statement, this.index], this.coefficients[0], commitments[0], this.rand);
    const hexes = commitments.map(ptHex);
    const signature = proveKey('dealing', dealingMessage(this.box, statement, this.index, hexes, shares),
      this.transport, this.transportKey, this.rand);
    return { commitments: hexes, proof: proofJson(proof), shares, signature: proofJson(signature) };
  }

  /** dealings: {sender index: dealing}; transportKeys: {index: hex}, as this device was shown them. Check every
   * dealing (its signature, its proof), unmask and check the share; throws naming a dealer that fails. */
  receive(dealings, statement, transportKeys) {
    let x = 0n;
    const indices = Object.keys(dealings).map(Number).sort((a, b) => a - b);
    for (const sender of indices) {
      const dealing = dealings[sender];
      let sound = false;
      try {
        const commitments = dealing.commitments.map((c) => point(c));
        sound = commitments.length === this.threshold
          && canonical(Object.keys(dealing.shares).sort()) === canonical(indices.map(String).sort())
          && Object.values(dealing.shares).every((share) => { point(share.e); return /^[0-9a-f]{64}$/.test(share.s); })
          && checkKey('coefficient', [this.box, statement, sender], commitments[0], proofOf(dealing.proof))
          && checkKey('dealing', dealingMessage(this.box, statement, sender, dealing.commitments, dealing.shares),
            point(transportKeys[sender]), proofOf(dealing.signature));
      } catch (_malformed) { sound = false; }
      if (!sound) { const error = new Error(`bad_share_from_${sender}`); error.dealer = sender; throw error; }
      const masked = dealing.shares[String(this.index)];
      const ephemeral = point(masked.e);
      const value = mod(scalarFromHex(masked.s) - shareMask(this.box, sender, this.index, ephemeral, mul(this.transport, ephemeral)));
      if (!base(value).equals(sharePoint(dealing.commitments.map((c) => point(c)), this.index))) {
        const error = new Error(`bad_share_from_${sender}`); error.dealer = sender; throw error;
      }
      x = mod(x + value);
    }
    this.share = x;
    return { proof: proofJson(proveKey('share', [this.box, statement, this.index], x, base(x), this.rand)) };
  }

  /** sums: [[A hex, B hex], …] of the board whose fingerprint is ``board``: this keyholder's partial decryption. */
  decrypt(board, sums) {
    const key = base(this.share);
    return sums.map(([a], option) => {
      const alpha = point(a);
      const d = mul(this.share, alpha);
      return { d: ptHex(d), proof: proofJson(proveSameLog('decryption', [this.box, unhex(board), this.index, option], this.share, key, alpha, d, this.rand)) };
    });
  }

  signPaper(counts, ballots) {
    return proofJson(proveKey('paper', paperMessage(this.box, counts, ballots), this.transport, this.transportKey, this.rand));
  }
}

export const pointHex = ptHex;
export const baseHex = (x) => ptHex(base(x));
