/** Control API: the fidelity ledger, what the sandbox imitates about PowerOffice Go and on what evidence. */
import { operation, type Operation } from '../core/types.js';
import { FIDELITY } from '../../../contracts/fidelity.js';
import { FidelityView } from '../../../contracts/schemas/control.js';
import { TAGS, ok, problems } from './common.js';

export const fidelityOperations: Operation[] = [
  operation({
    operationId: 'listFidelity',
    face: 'control',
    method: 'GET',
    path: '/_sandbox/fidelity',
    summary: "The fidelity ledger: every vendor behaviour the sandbox imitates or chooses, with its evidence, confidence, the sandbox's default and the setting that changes it",
    description: 'The same rows as contracts/FIDELITY.md. A row with a `setting` names a key under the client settings (PUT /_sandbox/clients/{clientId}/settings).',
    tags: ['Control: fidelity'],
    auth: 'control',
    responses: { 200: { description: 'the rows, grouped by area in source order', schema: FidelityView }, ...problems },
    handle: () => ok(FidelityView, FIDELITY.map((r) => ({ ...r }))),
  }),
];
