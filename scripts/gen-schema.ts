// Writes policies/schema.json from the zod policy schema, so the JSON Schema never drifts from the validator.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyJsonSchema } from '../src/core/policy/jsonSchema';

const target = join(process.cwd(), 'policies', 'schema.json');
writeFileSync(target, `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
