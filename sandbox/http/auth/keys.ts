/** Key comparisons that take the same time however much of the key matches (no timing oracle on keys). */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

// The stored keys' digests, kept: every v2 request compares its subscription key. Keys given are hashed each time.
const expectedDigests = new Map<string, Buffer>();
function expectedDigest(key: string): Buffer {
  let d = expectedDigests.get(key);
  if (!d) {
    if (expectedDigests.size >= 10_000) expectedDigests.clear();
    expectedDigests.set(key, (d = digest(key)));
  }
  return d;
}

/** Whether two keys are equal, compared as equal-length SHA-256 digests in constant time. */
export function sameKey(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(expectedDigest(expected), digest(given));
}
