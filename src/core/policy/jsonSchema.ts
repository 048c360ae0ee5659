/** The JSON Schema of the policy file, generated from the zod schema (VS Code uses it for completion and hover). */
import { z } from 'zod';
import { policySchema } from './schema';

export function policyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(policySchema, { io: 'input', target: 'draft-7' }),
    title: 'Omni policy',
    // VS Code's own keywords: the policy is read with comments and trailing commas allowed, so its JSON checker must not flag them.
    allowComments: true,
    allowTrailingCommas: true,
  };
}
