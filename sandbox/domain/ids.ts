/**
 * Deterministic ids: a world makes the same ids in the same order every time, so replaying from a snapshot
 * gives an identical journal. A UUID is a 128-bit hash of the world's seed and a counter, shaped as v4.
 */
import type { World } from './model.js';

type Lanes = [number, number, number, number];
const START: Lanes = [1779033703, 3144134277, 1013904242, 2773480762];

/** cyrb128's mixing of `text` into the four 32-bit lanes (a prefix's state can be kept and continued). */
function absorb(state: Lanes, text: string): Lanes {
  let [h1, h2, h3, h4] = state;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  return [h1, h2, h3, h4];
}

function hash128(text: string, from: Lanes = START): Lanes {
  // cyrb128: four 32-bit lanes, good spread, no dependencies.
  let [h1, h2, h3, h4] = absorb(from, text);
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

// Built with one join: a template of nine pieces leaves a tree of concatenated strings that every id in the
// journal, vouchers and reminders would keep (a reminder-heavy year made millions of them).
function format(lanes: Lanes): string {
  const b: string[] = [];
  for (const n of lanes) b.push(HEX[n >>> 24]!, HEX[(n >>> 16) & 0xff]!, HEX[(n >>> 8) & 0xff]!, HEX[n & 0xff]!);
  // Version 4 in the high nibble of byte 6, variant 10xx in the high bits of byte 8.
  const version = '4' + b[6]![1]!;
  const variant = HEX[((parseInt(b[8]![0]!, 16) & 0x3) | 0x8) * 16 + parseInt(b[8]![1]!, 16)]!;
  return [
    b[0]! + b[1]! + b[2]! + b[3]!,
    b[4]! + b[5]!,
    version + b[7]!,
    variant + b[9]!,
    b[10]! + b[11]! + b[12]! + b[13]! + b[14]! + b[15]!,
  ].join('-');
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
    state = absorb(START, `${world.idSeed}:`);
    seedStates.set(world.idSeed, state);
  }
  return format(hash128(String(world.counters.uuid), state));
}
