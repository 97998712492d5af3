/**
 * Seeding a client with realistic Norwegian data: the request, and the JSON Schemas json-schema-faker fills
 * (with the sandbox's Norwegian formats: company names, MOD11 organisation numbers, streets, postal places).
 */
import { Type } from '@sinclair/typebox';

export const SeedInput = Type.Object(
  {
    customers: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000, default: 10 })),
    invoices: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 50 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, default: 1, description: 'same seed, same world' })),
    /** Share of customers without a complete postal address (an obstacle for agencies). */
    incompleteAddressShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.1 })),
    /** Share of customers that are persons (consumers with a fødselsnummer) rather than companies. */
    personShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.4 })),
    /** Share of invoices with a partial credit note. */
    creditNoteShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.05 })),
  },
  { additionalProperties: false },
);

export const SeedResult = Type.Object({
  seed: Type.Integer(),
  customers: Type.Integer(),
  invoices: Type.Integer(),
  creditNotes: Type.Integer(),
  customersWithoutCompleteAddress: Type.Integer(),
  persons: Type.Integer(),
  firstInvoiceNo: Nullable(Type.Integer()),
  lastInvoiceNo: Nullable(Type.Integer()),
});

function Nullable<T extends ReturnType<typeof Type.Integer>>(t: T) {
  return Type.Union([t, Type.Null()]);
}

/** What json-schema-faker makes for one customer. */
export const SeedCustomer = Type.Object(
  {
    name: Type.String({ format: 'no-company-name' }),
    organizationNumber: Type.String({ format: 'no-organization-number' }),
    street: Type.String({ format: 'no-street' }),
    postalPlace: Type.String({ format: 'no-postal-place', description: '"0150 Oslo"' }),
    /** 0-99: under incompleteAddressShare*100 the address is left incomplete. */
    addressRoll: Type.Integer({ minimum: 0, maximum: 99 }),
    emailDomain: Type.String({ enum: ['firmapost.no', 'online.no', 'epost.no', 'bedrift.no'] }),
    /** 0-99: under personShare*100 the customer is a person. */
    personRoll: Type.Integer({ minimum: 0, maximum: 99 }),
    firstName: Type.String({ format: 'no-first-name' }),
    lastName: Type.String({ format: 'no-last-name' }),
    nationalIdNumber: Type.String({ format: 'no-national-id-number' }),
    phoneNumber: Type.String({ format: 'no-mobile' }),
    personalEmailDomain: Type.String({ enum: ['gmail.com', 'online.no', 'hotmail.com', 'outlook.com'] }),
    /** 0-99: a person's reminders by e-mail (under 60) or print; some have no e-mail at all (90 and up). */
    channelRoll: Type.Integer({ minimum: 0, maximum: 99 }),
  },
  { additionalProperties: false },
);

/** What json-schema-faker makes for one invoice. */
export const SeedInvoice = Type.Object(
  {
    customerRoll: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    /** NOK in whole kroner and øre, from small to large claims. */
    kroner: Type.Integer({ minimum: 150, maximum: 80_000 }),
    ore: Type.Integer({ minimum: 0, maximum: 99 }),
    /** Invoice date, days before today (spread over a year). */
    daysAgo: Type.Integer({ minimum: 0, maximum: 365 }),
    termDays: Type.Integer({ enum: [10, 14, 14, 14, 20, 30] }),
    vatCode: Type.String({ enum: ['3', '3', '3', '31', '33', '5'] }),
    /** 0-99: under creditNoteShare*100 a partial credit note follows. */
    creditRoll: Type.Integer({ minimum: 0, maximum: 99 }),
    creditPercent: Type.Integer({ minimum: 5, maximum: 60 }),
  },
  { additionalProperties: false },
);
