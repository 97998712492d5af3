/** The invoice as a PDF (GetInvoicePdf): a real, deterministic document made with pdf-lib. */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { Invoice, World } from '../../domain/model.js';
import { formatNok } from '../../domain/money.js';
import { toMillis } from '../../domain/time.js';
import { startOfLocalDay } from '../../domain/time.js';

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
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let y = 780;
  const text = (s: string, x: number, size = 11, f = font) => page.drawText(s, { x, y, size, font: f, color: rgb(0.1, 0.1, 0.1) });
  text(world.name, 50, 16, bold);
  text(invoice.kind === 'creditNote' ? 'KREDITNOTA' : 'FAKTURA', 420, 16, bold);
  y -= 40;
  const a = customer.mailAddress;
  for (const l of [customer.name, a.addressLine1, a.addressLine2, `${a.zipCode} ${a.city}`.trim(), a.countryCode].filter((s) => s && s.trim())) {
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
