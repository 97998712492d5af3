/** npm run contracts:states: write contracts/provider-states.md from the provider-state catalogue. */
import { writeFile } from 'node:fs/promises';
import { providerStatesMarkdown } from '../contracts/provider-states.js';

await writeFile('contracts/provider-states.md', providerStatesMarkdown());
console.log('wrote contracts/provider-states.md');
