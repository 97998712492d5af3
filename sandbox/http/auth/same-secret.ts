import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compare a presented secret with the expected one in constant time. Both are hashed first, so neither the
 * content nor the length of the expected secret leaks through how long a refusal takes.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  const a = createHash('sha256').update(given ?? '').digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given !== undefined;
}
