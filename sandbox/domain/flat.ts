/**
 * A text built from many pieces is held by V8 as a tree of concatenated strings. Texts the world keeps (event
 * causes, voucher descriptions) are flattened once when written: a reminder-heavy year over 50k invoices kept
 * about fourteen string objects per event otherwise, and the garbage collector walked them all.
 */
export function flat(text: string): string {
  // Converting a string to a number flattens it in place (V8); the number itself is not wanted.
  void Number(text);
  return text;
}
