// Writes the policy's JSON Schemas from the zod policy schema, so they never drift from the validator.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyEditorSchema, policyJsonSchema } from '../src/core/policy/jsonSchema';

const write = (name: string, schema: unknown) => writeFileSync(join(process.cwd(), 'policies', name), `${JSON.stringify(schema, null, 2)}\n`);
write('schema.json', policyJsonSchema());
write('editor-schema.json', policyEditorSchema());
