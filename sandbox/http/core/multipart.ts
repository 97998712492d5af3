/** multipart/form-data (RFC 7578), as the vendor's file uploads take it: the parts of one body, bytes untouched. */

export interface FormPart {
  name: string;
  fileName: string | null;
  contentType: string | null;
  data: Uint8Array;
}

/** The boundary of a multipart/form-data Content-Type, or undefined when it is not one. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

function headerParam(header: string, name: string): string | null {
  const m = new RegExp(`;\\s*${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(header);
  return m ? (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1') : null;
}

/** The parts, or undefined when the body is not well-formed multipart with this boundary. */
export function parseMultipart(body: Uint8Array, boundary: string): FormPart[] | undefined {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  let at = bytes.indexOf(delimiter);
  if (at < 0) return undefined;
  const parts: FormPart[] = [];
  for (;;) {
    const after = at + delimiter.length;
    if (bytes.subarray(after, after + 2).toString() === '--') return parts;
    const headersEnd = bytes.indexOf('\r\n\r\n', after);
    if (headersEnd < 0) return undefined;
    const next = bytes.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
    if (next < 0) return undefined;
    const headers = bytes.subarray(after, headersEnd).toString('utf8').split('\r\n').filter(Boolean);
    const header = (n: string) =>
      headers
        .find((h) => h.toLowerCase().startsWith(`${n}:`))
        ?.slice(n.length + 1)
        .trim();
    const disposition = header('content-disposition');
    if (!disposition || !/^form-data/i.test(disposition)) return undefined;
    parts.push({
      name: headerParam(disposition, 'name') ?? '',
      fileName: headerParam(disposition, 'filename'),
      contentType: header('content-type') ?? null,
      data: new Uint8Array(bytes.subarray(headersEnd + 4, next)),
    });
    at = next + 2;
  }
}
