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
  ) {
    super(message);
    this.name = 'DomainRejection';
  }
}

export const reject = {
  invalid(field: string, reason: string): DomainRejection {
    return new DomainRejection('invalid', `${field} ${reason}`, { field });
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
  duplicate(field: string, message: string): DomainRejection {
    return new DomainRejection('duplicate', message, { field });
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
