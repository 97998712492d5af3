/**
 * The invoice as a PDF (GetInvoicePdf): a real, deterministic document made with pdf-lib. Text is set in DejaVu
 * Sans, embedded (subset): the standard PDF fonts only know WinAnsi, and an ERP's names include Sámi letters
 * (Č, Ŋ, Đ, Ŧ), Polish, Czech and every accent.
 */
import { readFile } from 'node:fs/promises';
import { PDFDocument, rgb } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { assetPath } from '../../assets.js';
import type { Invoice, World } from '../../domain/model.js';
import { formatNok } from '../../domain/money.js';
import { toMillis } from '../../domain/time.js';
import { startOfLocalDay } from '../../domain/time.js';

let fonts: Promise<{ regular: Uint8Array; bold: Uint8Array }> | undefined;

/** The font files, read once per process. */
function fontFiles(): Promise<{ regular: Uint8Array; bold: Uint8Array }> {
  fonts ??= (async () => ({
    regular: await readFile(assetPath('fonts/DejaVuSans.ttf')),
    bold: await readFile(assetPath('fonts/DejaVuSans-Bold.ttf')),
  }))();
  return fonts;
}

export async function invoicePdf(world: World, invoice: Invoice): Promise<Uint8Array> {
  const customer = world.customers[String(invoice.customerId)]!;
  const doc = await PDFDocument.create();
  const stamp = new Date(toMillis(startOfLocalDay(invoice.invoiceDate, world.timeZone)));
  doc.setTitle(`Faktura ${invoice.invoiceNo}`);
  doc.setAuthor(world.name);
  doc.setProducer('inkasso-sandbox');
  doc.setCreator('inkasso-sandbox');
  doc.setCreationDate(stamp);
  doc.setModificationDate(stamp);
  const page = doc.addPage([595, 842]);
  doc.registerFontkit(fontkit);
  const files = await fontFiles();
  // A fixed customName: pdf-lib otherwise adds a random suffix, and the same invoice must give the same bytes.
  const font = await doc.embedFont(files.regular, { subset: true, customName: 'DejaVuSans' });
  const bold = await doc.embedFont(files.bold, { subset: true, customName: 'DejaVuSans-Bold' });
  let y = 780;
  const text = (s: string, x: number, size = 11, f = font) => page.drawText(s, { x, y, size, font: f, color: rgb(0.1, 0.1, 0.1) });
  text(world.name, 50, 16, bold);
  text(invoice.kind === 'creditNote' ? 'KREDITNOTA' : 'FAKTURA', 420, 16, bold);
  y -= 40;
  const a = customer.mailAddress;
  for (const l of [customer.name, a.addressLine1, a.addressLine2, `${a.zipCode} ${a.city}`.trim(), a.countryCode].filter(
    (s) => s && s.trim(),
  )) {
    text(l, 50);
    y -= 16;
  }
  y = 700;
  const rows: Array<[string, string]> = [
    ['Fakturanr.', String(invoice.invoiceNo)],
    ['Kundenr.', String(customer.number)],
    ['Fakturadato', invoice.invoiceDate],
    ['Forfallsdato', invoice.dueDate],
    ['KID', invoice.cid],
  ];
  if (customer.organizationNumber) rows.push(['Org.nr.', customer.organizationNumber]);
  for (const [k, v] of rows) {
    text(k, 350);
    text(v, 450);
    y -= 16;
  }
  y -= 40;
  text('Beløp å betale', 50, 13, bold);
  text(formatNok(invoice.amount), 450, 13, bold);
  y -= 20;
  text(`Utestående: ${formatNok(invoice.openAmount)}`, 50, 10);
  return doc.save({ useObjectStreams: false });
}
