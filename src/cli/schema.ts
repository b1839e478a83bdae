import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemas } from '../config/json-schema.ts';

/** `npm run schema`: writes the editor schemas next to the zod schema they come from. */
const dir = fileURLToPath(new URL('../config/', import.meta.url));
for (const [name, schema] of Object.entries(jsonSchemas())) {
  await writeFile(join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote src/config/${name}`);
}
