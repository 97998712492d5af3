/** Comparing a presented secret (subscription key, client key) with the expected one in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

// The expected secrets' digests, kept: every v2 request compares its subscription key. A given secret is hashed each time.
const expectedDigests = new Map<string, Buffer>();
function expectedDigest(expected: string): Buffer {
  let d = expectedDigests.get(expected);
  if (!d) {
    if (expectedDigests.size >= 10_000) expectedDigests.clear();
    expectedDigests.set(expected, (d = digest(expected)));
  }
  return d;
}

/**
 * Compare a presented secret with the expected one in constant time. Both are hashed first, so neither the
 * content nor the length of the expected secret leaks through how long a refusal takes.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  return timingSafeEqual(digest(given ?? ''), expectedDigest(expected)) && given !== undefined;
}
