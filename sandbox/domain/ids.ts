/**
 * Deterministic ids: a world makes the same ids in the same order every time, so replaying from a snapshot
 * gives an identical journal. A UUID is a 128-bit hash of the world's seed and a counter, shaped as v4.
 */
import type { World } from './model.js';

type Lanes = [number, number, number, number];
const START: Lanes = [1779033703, 3144134277, 1013904242, 2773480762];

/** cyrb128's mixing of `text` into the four 32-bit lanes of `state`, written to `into` (a prefix's state can be kept and continued). */
function absorbInto(into: Lanes, state: Lanes, text: string): Lanes {
  let [h1, h2, h3, h4] = state;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  into[0] = h1;
  into[1] = h2;
  into[2] = h3;
  into[3] = h4;
  return into;
}

/** The lanes of the id being made (every id is formatted as soon as it is hashed: no arrays per id). */
const scratch: Lanes = [0, 0, 0, 0];

function hash128(text: string, from: Lanes = START): Lanes {
  // cyrb128: four 32-bit lanes, good spread, no dependencies.
  let [h1, h2, h3, h4] = absorbInto(scratch, from, text);
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  scratch[0] = h1 >>> 0;
  scratch[1] = h2 >>> 0;
  scratch[2] = h3 >>> 0;
  scratch[3] = h4 >>> 0;
  return scratch;
}

const HEX_DIGIT = '0123456789abcdef';
/** Character codes of one id, reused: an id is made by one String.fromCharCode over them (one flat string). */
const chars: number[] = Array.from({ length: 36 }, () => 45); // '-' at 8, 13, 18 and 23 stays
/** Where hex digit k (0..31) of the 128 bits goes among the 36 characters (after the dashes). */
const SLOT = Array.from({ length: 32 }, (_, k) => k + (k >= 8 ? 1 : 0) + (k >= 12 ? 1 : 0) + (k >= 16 ? 1 : 0) + (k >= 20 ? 1 : 0));

// One flat string per id: a template of pieces leaves a tree of concatenated strings that every id in the journal,
// vouchers and reminders would keep (a reminder-heavy year made millions of them), and pieces joined cost garbage.
function format(lanes: Lanes): string {
  for (let lane = 0; lane < 4; lane++) {
    const n = lanes[lane]!;
    for (let d = 0; d < 8; d++) chars[SLOT[lane * 8 + d]!] = HEX_DIGIT.charCodeAt((n >>> (28 - 4 * d)) & 0xf);
  }
  // Version 4 in the high nibble of byte 6 (hex digit 12), variant 10xx in the high bits of byte 8 (hex digit 16).
  chars[SLOT[12]!] = 52; // '4'
  chars[SLOT[16]!] = HEX_DIGIT.charCodeAt(((lanes[2]! >>> 28) & 0x3) | 0x8);
  return String.fromCharCode.apply(null, chars);
}

export function uuidFrom(text: string): string {
  return format(hash128(text));
}

// The hash state after "<seed>:" per seed, so each id hashes only its counter digits.
const seedStates = new Map<string, Lanes>();

export function nextUuid(world: World): string {
  world.counters.uuid += 1;
  let state = seedStates.get(world.idSeed);
  if (!state) {
    state = absorbInto([0, 0, 0, 0], START, `${world.idSeed}:`);
    seedStates.set(world.idSeed, state);
  }
  return format(hash128(String(world.counters.uuid), state));
}
