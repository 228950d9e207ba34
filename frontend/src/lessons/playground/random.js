/**
 * Seeded pseudo-random numbers for the sandbox.
 *
 * The generator is xoshiro128** (Blackman and Vigna) on 32-bit integers, so a
 * seed gives the same sequence in every JavaScript engine. Each consumer draws
 * from its own named stream ("data", "weights", "batches"), so adding a hidden
 * layer changes the initial weights but not the data or the batch order.
 *
 * NOTE: normal(), the data sets and training also use Math.log, Math.sin,
 * Math.tanh and others, whose last bits ECMAScript leaves to the engine. Runs
 * match bit for bit across V8 (Chrome, Edge, Node) but may drift apart in
 * other engines.
 */

export const MAX_SEED = 999999;

/** Hashes a string to an unsigned 32-bit integer (FNV-1a). */
function hashString(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Returns a SplitMix32 sequence, used only to spread a seed over the state. */
function createSeedMixer(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotateLeft(value, bits) {
  return (value << bits) | (value >>> (32 - bits));
}

/**
 * Creates the generator for `seed` (an integer) and `stream` (a name).
 *
 * The returned object draws uniform floats in [0, 1) with `next()`, and has
 * helpers for ranges, normal deviates, integers and in-place shuffles.
 */
export function createRandom(seed, stream = "") {
  if (!Number.isInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  }
  const mix = createSeedMixer(seed ^ hashString(stream));
  let s0 = mix();
  let s1 = mix();
  let s2 = mix();
  let s3 = mix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;

  function nextUint32() {
    const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9) >>> 0;
    const shifted = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= shifted;
    s3 = rotateLeft(s3, 11);
    return result;
  }

  function next() {
    return nextUint32() / 4294967296;
  }

  function uniform(low, high) {
    return low + (high - low) * next();
  }

  /** Draws a standard normal deviate (Box-Muller, one value per call). */
  function normal(mean = 0, standardDeviation = 1) {
    const u1 = 1 - next();
    const u2 = next();
    const radius = Math.sqrt(-2 * Math.log(u1));
    return mean + standardDeviation * radius * Math.cos(2 * Math.PI * u2);
  }

  /** Draws an integer from 0 to `count - 1`. */
  function integer(count) {
    return Math.floor(next() * count);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  function shuffle(items) {
    for (let i = items.length - 1; i > 0; i--) {
      const j = integer(i + 1);
      const swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
    return items;
  }

  return { next, nextUint32, uniform, normal, integer, shuffle };
}

/** Draws a fresh seed for "Regenerate"; this one need not be reproducible. */
export function drawNewSeed() {
  return Math.floor(Math.random() * (MAX_SEED + 1));
}
