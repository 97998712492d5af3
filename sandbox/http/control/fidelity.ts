/** Control API: the fidelity ledger, what the sandbox imitates about PowerOffice Go and on what evidence. */
import type { Operation } from '../core/types.js';
import { FIDELITY } from '../../../contracts/fidelity.js';
import { FidelityView } from '../../../contracts/schemas/control.js';
import { ROUTES as R } from '../../../contracts/routes.js';
import { controlOp } from './common.js';
import { TAGS } from './common.js';

export const fidelityOperations: Operation[] = [
  controlOp(R.listFidelity, {
    summary:
      "The fidelity ledger: every vendor behaviour the sandbox imitates or chooses, with its evidence, confidence, the sandbox's " +
      'default and the setting that changes it',
    description:
      'The same rows as contracts/FIDELITY.md. A row with a `setting` names a key under the client settings (PUT ' +
      '/_sandbox/clients/{clientId}/settings).',
    tags: ['Control: fidelity'],
    answers: 'the rows, grouped by area in source order',
    handle: () => FIDELITY.map((r) => ({ ...r })),
  }),
];
