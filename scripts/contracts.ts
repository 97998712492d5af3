/** npm run contracts: regenerate the committed contract files from the TypeBox sources. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { artifacts, serialize } from '../contracts/artifacts.js';

for (const [file, value] of Object.entries(artifacts())) {
  await writeFile(join('contracts', file), serialize(value));
  console.log(`wrote contracts/${file}`);
}
