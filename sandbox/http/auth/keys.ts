/** Key comparisons that take the same time however much of the key matches (no timing oracle on keys). */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Whether two keys are equal, compared as equal-length SHA-256 digests in constant time. */
export function sameKey(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(expected), digest(given));
}
