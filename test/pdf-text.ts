/**
 * The text drawn on a PDF's first page, read back the way a viewer does: each text string through the ToUnicode
 * map of the font selected for it (embedded fonts draw glyph ids, not characters), or as literal bytes for the
 * standard fonts. Lines come out in drawing order.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, decodePDFRawStream } from 'pdf-lib';

function streamText(stream: unknown): string {
  return Buffer.from(decodePDFRawStream(stream as PDFRawStream).decode()).toString('latin1');
}

/** glyph id (hex, as drawn) -> characters, from a ToUnicode CMap (bfchar and bfrange). */
function toUnicodeMap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(m[1]!.toUpperCase(), utf16(m[2]!));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g)) {
      const [lo, hi, width] = [parseInt(m[1]!, 16), parseInt(m[2]!, 16), m[1]!.length];
      const dst = m[3]!.startsWith('[') ? [...m[3]!.matchAll(/<([0-9A-Fa-f]+)>/g)].map((d) => d[1]!) : undefined;
      for (let g = lo; g <= hi; g++) {
        const key = g.toString(16).toUpperCase().padStart(width, '0');
        if (dst) map.set(key, utf16(dst[g - lo]!));
        else {
          const base = Buffer.from(m[3]!.slice(1, -1), 'hex');
          base.writeUInt16BE(base.readUInt16BE(base.length - 2) + (g - lo), base.length - 2);
          map.set(key, utf16(base.toString('hex')));
        }
      }
    }
  return map;
}

export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  const page = doc.getPage(0);
  const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
  const maps = new Map<string, Map<string, string> | undefined>();
  for (const [name, ref] of fonts?.entries() ?? []) {
    const font = doc.context.lookup(ref as PDFRef, PDFDict);
    const toUnicode = font.lookup(PDFName.of('ToUnicode'));
    maps.set(name.decodeText(), toUnicode instanceof PDFRawStream ? toUnicodeMap(streamText(toUnicode)) : undefined);
  }
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
  const lines: string[] = [];
  let current: Map<string, string> | undefined;
  for (const s of streams) {
    const content = streamText(s);
    for (const m of content.matchAll(/\/([^\s/]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
      if (m[1] !== undefined) current = maps.get(m[1]);
      else if (m[2] !== undefined) {
        const hex = m[2].replace(/\s/g, '').toUpperCase();
        if (current) {
          let text = '';
          for (let i = 0; i < hex.length; i += 4) text += current.get(hex.slice(i, i + 4)) ?? '\uFFFD';
          lines.push(text);
        } else lines.push(Buffer.from(hex, 'hex').toString('latin1'));
      } else if (m[3] !== undefined) lines.push(m[3]);
    }
  }
  return lines.join('\n');
}
