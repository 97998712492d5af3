/**
 * Field sets checked against the vendor: every v2 DTO the sandbox serves has exactly the vendor's field names
 * (contracts/vendor/v2-fields.json, read from the vendor's OpenAPI; the source is named in the file). A field the
 * vendor has and we lack, or one we have and the vendor lacks, fails unless the allow-list below names it with a
 * reason; an allow-list entry that no longer applies fails too, so the list only shrinks.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import * as S from '../../contracts/schemas/v2.js';

const vendor = JSON.parse(readFileSync(new URL('../../contracts/vendor/v2-fields.json', import.meta.url), 'utf8')) as {
  source: { repo: string; path: string; commit: string };
  dtos: Record<string, string[]>;
  /** Per DTO, the fields the vendor's spec marks nullable (directly or through the schema they $ref). */
  nullable: Record<string, string[]>;
};

/**
 * Allowed missing everywhere, one reason: the sandbox books no departments, dimensions, locations, projects,
 * products, quantities, agriculture or VAT-return specifications (the POST DTOs accept and ignore them).
 */
const DIMENSION_FIELD = /^(Department|Dim[123]|Location|Project|Product)(Id|Code)$|^(Agriculture\w*|\w*AgricultureDepartment|Quantity2?|Unit[12]|UnitOfMeasureCode|ProductUnitCost|\w*VatReturnSpecification|Accrual|IsAccrued)$/;

/** Vendor fields we do not serve yet, per DTO, with the reason. Each must still be missing (no stale entries). */
const NOT_SERVED: Record<string, { reason: string; fields: string[] }> = {
  CustomerDto: {
    reason: 'not modelled yet: invoicing preferences, payment terms, sales persons and branding (the card has the debt-collection and person fields)',
    fields: ['Allowance', 'BillableRate', 'CreatedFromImportJournalId', 'DeliveryTerm', 'DeliveryTermId', 'DoNotAutomatePaymentNotifications', 'InvoiceBrandingThemeCode', 'InvoiceBrandingThemeId', 'InvoiceDeliveryType', 'InvoiceEmailAddressCC', 'IsVatFree', 'PaymentTerm', 'PaymentTermId', 'SalesPersonEmployeeId', 'SalesPersonEmployeeNumber', 'UseInvoiceFee', 'WebsiteUrl'],
  },
  ContactAddressDto: { reason: 'addresses are part of the card, not entities with ids and timestamps, in the sandbox', fields: ['ExternalCode', 'Id', 'LastChangedDateTimeOffset'] },
  CustomerLedgerEntryDto: {
    reason: 'not served yet: matching references and per-integration flags come with issue 13 items 2-3',
    fields: ['CreatedFromImportJournalId', 'CustomerExternalNo', 'IsCreatedByCurrentIntegration', 'PaidFromBankAccount'],
  },
  OutgoingInvoiceDto: {
    reason: 'not modelled yet: orders, delivery, references, payment terms, branding, send time and balance timestamps (issue 13 item 3)',
    fields: ['BrandingThemeCode', 'BrandingThemeId', 'ContractNo', 'CurrencyExchangeRate', 'CustomerReference', 'CustomerReferenceContactPersonId', 'DeliveryAddress1', 'DeliveryAddress2', 'DeliveryAddressCity', 'DeliveryAddressCountryCode', 'DeliveryAddressZipCode', 'DeliveryDate', 'DeliveryTerm', 'DeliveryTermId', 'ImportedOrderNo', 'InvoiceDeliveryType', 'IsCreatedByCurrentIntegration', 'OrderDate', 'OrderNo', 'PaymentTerm', 'PaymentTermId', 'PurchaseOrderReference', 'RelatedInvoiceNo', 'SellersReferenceEmployeeId', 'SellersReferenceEmployeeNo'],
  },
  OutgoingInvoiceLineDto: { reason: 'invoice lines carry no discounts or seller references in the sandbox', fields: ['Allowance', 'SellersReferenceEmployeeId', 'SellersReferenceEmployeeNo'] },
  GeneralLedgerAccountDto: { reason: 'the chart of accounts is fixed and has no types, requirements or locks', fields: ['GeneralLedgerAccountType', 'IsDepartmentRequired', 'IsProjectRequired', 'IsVatCodeLocked', 'LastChangedDateTimeOffset'] },
  VatCodeDto: { reason: 'VAT codes are a fixed table without validity periods or basis ratios', fields: ['BaseVatCodeId', 'Description', 'IsCustom', 'ValidFrom', 'ValidTo', 'VatBasisRatio', 'VatBasisRatioValidFrom', 'VatBasisRatios'] },
  BankVoucherDto: { reason: 'SAF-T batch and source ids are accepted on the POST and not kept', fields: ['SaftBatchId', 'SaftSourceId'] },
  BankVoucherLineDto: { reason: 'accepted on the POST and not kept', fields: ['CurrencyExchangeRate', 'ExternalLineReference'] },
  ManualJournalEntryVoucherLineDto: { reason: 'accepted on the POST and not kept', fields: ['CurrencyExchangeRate'] },
};

/** Fields we have that this vendor snapshot lacks, with the reason. */
const EXTRA: Record<string, Record<string, string>> = {
  BankVoucherPostDto: { AutoAdjustCurrencyExchangeDifference: 'in the vendor\'s later (about 2026-09) v2 spec, anders2606/crm docs/poweroffice-apiv2-demo.json; accepted and ignored' },
  ManualJournalEntryVoucherDto: {
    ExternalImportReference: 'only with settings.v2Wire.manualJournalImportReferences (a sandbox invention, off by default; see the fidelity ledger)',
    ImportedVoucherNo: 'only with settings.v2Wire.manualJournalImportReferences (a sandbox invention, off by default)',
  },
};

const ours = (dto: string): string[] => {
  const schema = (S as unknown as Record<string, TObject | undefined>)[dto];
  if (!schema?.properties) throw new Error(`contracts/schemas/v2.ts has no ${dto}`);
  return Object.keys(schema.properties);
};

describe('v2 field sets against the vendor OpenAPI', () => {
  it('names its source', () => {
    expect(vendor.source).toMatchObject({ repo: 'stianwe/PowerOfficeGoV2', path: 'api/openapi.yaml', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(Object.keys(vendor.dtos).length).toBeGreaterThanOrEqual(17);
  });

  for (const [dto, fields] of Object.entries(vendor.dtos)) {
    it(`${dto}: our fields are the vendor's`, () => {
      const have = ours(dto);
      const allowedMissing = new Set(NOT_SERVED[dto]?.fields ?? []);
      // Dimension-like fields (DIMENSION_FIELD) are allowed missing, for the one reason above.
      const missing = fields.filter((f) => !have.includes(f) && !allowedMissing.has(f) && !DIMENSION_FIELD.test(f));
      expect(missing, `${dto} lacks vendor fields (serve them, or allow-list with a reason)`).toEqual([]);
      const extra = have.filter((f) => !fields.includes(f) && !(EXTRA[dto] && f in EXTRA[dto]));
      expect(extra, `${dto} has fields the vendor's DTO lacks`).toEqual([]);
      // No stale allow-list entries: each still names a vendor field we lack (or a field of ours the vendor lacks).
      for (const f of allowedMissing) {
        expect(fields, `${dto}.${f} allow-listed but not the vendor's`).toContain(f);
        expect(have, `${dto}.${f} is served now: drop it from NOT_SERVED`).not.toContain(f);
      }
      for (const f of Object.keys(EXTRA[dto] ?? {})) {
        expect(have).toContain(f);
        expect(fields).not.toContain(f);
      }
    });
  }

  it('every allow-listed DTO is in the fixture', () => {
    for (const dto of Object.keys(NULLABILITY_DIFFERS)) expect(Object.keys(vendor.dtos)).toContain(dto);
    for (const dto of Object.keys(vendor.dtos)) expect(vendor.nullable, `${dto} has no nullable list`).toHaveProperty(dto);
    for (const dto of [...Object.keys(NOT_SERVED), ...Object.keys(EXTRA)]) expect(Object.keys(vendor.dtos)).toContain(dto);
  });
});

/** Does the schema accept null (a Nullable union, or Type.Null)? */
const acceptsNull = (schema: TSchema): boolean =>
  schema.type === 'null' || (Array.isArray(schema.anyOf) && (schema.anyOf as TSchema[]).some(acceptsNull));

/** What the sandbox serves: the response DTOs (request bodies: the next describe). */
const SERVED = Object.keys(vendor.dtos).filter((dto) => !dto.endsWith('PostDto'));

/** Served fields whose nullability differs from the vendor's, with the reason. Each must still differ. */
const NULLABILITY_DIFFERS: Record<string, Record<string, string>> = {};

/** Served fields that may be left out (not served as null), with the reason. */
const MAY_BE_ABSENT: Record<string, Record<string, string>> = {
  ManualJournalEntryVoucherDto: {
    ExternalImportReference: 'a sandbox invention, present only with settings.v2Wire.manualJournalImportReferences',
    ImportedVoucherNo: 'a sandbox invention, present only with settings.v2Wire.manualJournalImportReferences',
  },
};

describe('v2 nullability against the vendor OpenAPI', () => {
  for (const dto of SERVED) {
    it(`${dto}: nullable exactly where the vendor's is, and every field always present`, () => {
      const schema = (S as unknown as Record<string, TObject>)[dto]!;
      const nullable = new Set(vendor.nullable[dto] ?? []);
      const differs = NULLABILITY_DIFFERS[dto] ?? {};
      const wrong = Object.entries(schema.properties)
        .filter(([field]) => vendor.dtos[dto]!.includes(field) && !(field in differs))
        .filter(([field, s]) => acceptsNull(s) !== nullable.has(field))
        .map(([field, s]) => `${field}: ours ${acceptsNull(s) ? 'nullable' : 'not nullable'}, the vendor's ${nullable.has(field) ? 'nullable' : 'not nullable'}`);
      expect(wrong, `${dto} nullability differs from the vendor's (follow it, or allow-list with a reason)`).toEqual([]);
      for (const field of Object.keys(differs)) {
        expect(schema.properties, `${dto}.${field} allow-listed but not served`).toHaveProperty(field);
        expect(acceptsNull(schema.properties[field]!), `${dto}.${field} now matches the vendor: drop it from NULLABILITY_DIFFERS`).not.toBe(nullable.has(field));
      }
      // Absent values are served as null, never omitted: every property is required.
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const optional = Object.keys(schema.properties).filter((f) => !required.has(f) && !(MAY_BE_ABSENT[dto] && f in MAY_BE_ABSENT[dto]!));
      expect(optional, `${dto} may omit fields (serve them as null instead)`).toEqual([]);
    });
  }
});

/** The request DTOs the sandbox accepts (POST bodies). */
const ACCEPTED = Object.keys(vendor.dtos).filter((dto) => dto.endsWith('PostDto'));

/** Request fields whose nullability differs from the vendor's, with the reason. Each must still differ. */
const LINES_NOT_NULL =
  'the lines refuse null in the request validation (400 naming the field, as a voucher without lines would be): the case-insensitive binder and the per-line error names (VoucherLines[i].Field) need a plain array';
const REQUEST_NULLABILITY_DIFFERS: Record<string, Record<string, string>> = {
  BankVoucherPostDto: { VoucherLines: LINES_NOT_NULL },
  ManualJournalEntryVoucherPostDto: { ManualVoucherLines: LINES_NOT_NULL },
  ManualJournalEntryVoucherLinePostDto: {
    Accrual: 'accepted and ignored whatever it holds (the sandbox books no accruals), null included',
    AgricultureDetails: 'accepted and ignored whatever it holds (the sandbox books no agriculture details), null included',
  },
};

describe('v2 request nullability against the vendor OpenAPI', () => {
  it('covers the bank journal and manual journal bodies and their lines', () => {
    expect(ACCEPTED.sort()).toEqual(['BankVoucherLinePostDto', 'BankVoucherPostDto', 'ManualJournalEntryVoucherLinePostDto', 'ManualJournalEntryVoucherPostDto']);
  });

  for (const dto of ACCEPTED) {
    it(`${dto}: a field takes null exactly where the vendor's does`, () => {
      const schema = (S as unknown as Record<string, TObject>)[dto]!;
      const nullable = new Set(vendor.nullable[dto] ?? []);
      const differs = REQUEST_NULLABILITY_DIFFERS[dto] ?? {};
      // What the request validation does with a null in the field (an ignored field takes anything).
      const takesNull = (field: string) => Value.Check(schema.properties[field]!, null);
      const wrong = vendor.dtos[dto]!.filter((field) => field in schema.properties && !(field in differs))
        .filter((field) => takesNull(field) !== nullable.has(field))
        .map((field) => `${field}: ours ${takesNull(field) ? 'takes' : 'refuses'} null, the vendor's is ${nullable.has(field) ? '' : 'not '}nullable`);
      expect(wrong, `${dto} request nullability differs from the vendor's (follow it, or allow-list with a reason)`).toEqual([]);
      for (const field of Object.keys(differs)) {
        expect(vendor.dtos[dto], `${dto}.${field} allow-listed but not the vendor's`).toContain(field);
        expect(takesNull(field), `${dto}.${field} now matches the vendor: drop it from REQUEST_NULLABILITY_DIFFERS`).not.toBe(nullable.has(field));
      }
    });
  }
});
