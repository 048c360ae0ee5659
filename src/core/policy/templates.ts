/** The policy templates shipped in `policies/`, bundled so the CLI and the extension need no files at run time. */
import defaultTemplate from '../../../policies/default.json';
import ollamaTemplate from '../../../policies/ollama.json';
import openaiTemplate from '../../../policies/openai.json';
import { type Policy, policySchema } from './schema';

export const templates = {
  default: { label: 'Hugging Face models (default)', json: defaultTemplate },
  openai: { label: 'OpenAI models', json: openaiTemplate },
  ollama: { label: 'Local models with Ollama', json: ollamaTemplate },
} as const;

export type TemplateName = keyof typeof templates;

/** The text to write into a new `.omni/policies.json`, with `$schema` dropped (VS Code maps the schema itself). */
export function templateText(name: TemplateName): string {
  const { $schema: _ignored, ...policy } = templates[name].json;
  return `${JSON.stringify(policy, null, 2)}\n`;
}

/**
 * Whether a policy file holds nothing yet (created empty, or only whitespace): "Omni: Create Policy" and `omni init`
 * fill it from a template, since nothing in it would be lost.
 */
export function isBlankPolicy(text: string): boolean {
  return text.trim() === '';
}

let parsedDefault: Policy | undefined;

/**
 * The policy used when a workspace has none. Parsed once and shared: callers cache routers and session totals by
 * policy identity, so a fresh object per call would rebuild the classifier and reset the totals on every request.
 */
export function defaultPolicy(): Policy {
  parsedDefault ??= policySchema.parse(templates.default.json);
  return parsedDefault;
}
