/**
 * A command that cannot run throws a DomainRejection before it changes anything. The HTTP faces turn it
 * into their own error format (v1 envelope, ProblemDetails) with the field and the reason.
 */
export type RejectionKind = 'invalid' | 'notFound' | 'conflict' | 'forbidden' | 'duplicate';

export interface RejectionDetails {
  /** The request field at fault, as a JSON path ('invoiceIds[1]'). */
  field?: string;
  /** For a wrong transition: the current state and the states the action is allowed from. */
  current?: string;
  allowed?: string[];
  /** A settlement's customer line the sandbox cannot match to an invoice (unknown number, overpayment, no reference). */
  unmatched?: boolean;
  /** Refused for a missing privilege (or integration), not for the state of things. */
  privilege?: boolean;
}

export class DomainRejection extends Error {
  constructor(
    readonly kind: RejectionKind,
    message: string,
    readonly details: RejectionDetails = {},
    /** The message for another name of the field, where the message names it. */
    readonly phrase?: (field: string) => string,
  ) {
    super(message);
    this.name = 'DomainRejection';
  }

  /** The same refusal with more details. */
  with(details: RejectionDetails): DomainRejection {
    return new DomainRejection(this.kind, this.message, { ...this.details, ...details }, this.phrase);
  }

  /**
   * The same refusal in a face's words: the domain names fields by domain paths ('lines[2].amount'), a face renames
   * them to what its wire calls them, in the field and in a message that names it.
   */
  renamed(rename: (field: string) => string): DomainRejection {
    const field = this.details.field;
    const to = field === undefined ? field : rename(field);
    if (to === field) return this;
    return new DomainRejection(this.kind, this.phrase ? this.phrase(to!) : this.message, { ...this.details, field: to! }, this.phrase);
  }
}

export const reject = {
  invalid(field: string, reason: string): DomainRejection {
    const phrase = (f: string) => `${f} ${reason}`;
    return new DomainRejection('invalid', phrase(field), { field }, phrase);
  },
  notFound(what: string, id: string | number, field?: string): DomainRejection {
    return new DomainRejection('notFound', `${what} ${id} does not exist`, field ? { field } : {});
  },
  conflict(message: string, details: RejectionDetails = {}): DomainRejection {
    return new DomainRejection('conflict', message, details);
  },
  forbidden(message: string, details: RejectionDetails = {}): DomainRejection {
    return new DomainRejection('forbidden', message, details);
  },
  /** A repeat; a message that names the field comes as a phrase of its name. */
  duplicate(field: string, message: string | ((field: string) => string)): DomainRejection {
    if (typeof message === 'string') return new DomainRejection('duplicate', message, { field });
    return new DomainRejection('duplicate', message(field), { field }, message);
  },
};

export function isRejection(e: unknown): e is DomainRejection {
  return e instanceof DomainRejection;
}

/** For a look-up that may find its client gone: a notFound rejection is no answer; anything else (a store failure) goes on. */
export function noneIfNotFound(e: unknown): undefined {
  if (isRejection(e) && e.kind === 'notFound') return undefined;
  throw e;
}
