/**
 * The user-level providers file (`--providers FILE`, `OMNI_PROVIDERS`, or the extension's settings mapped onto the
 * same shape): which endpoints exist, and which environment variable holds each one's key.
 */
import { readFileSync } from 'node:fs';
import { parseTree, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { LineIndex } from '../policy/diagnostics';
import { jsonValue, NodeIndex } from '../policy/jsonTree';
import { describeIssues } from '../text/issues';
import { describeFileError } from '../storage/fileErrors';
import { decodeText } from '../text/decode';
import { describeSyntaxError } from '../text/jsonSyntax';

export type ProviderType = 'openai-compatible' | 'huggingface';

/** A provider as Omni uses it, after built-ins and the user's file are merged. */
export interface ProviderSettings {
  name: string;
  type: ProviderType;
  /** Base URL of the OpenAI-compatible API, ending before `/chat/completions`. */
  baseURL: string;
  /** Environment variable (or SecretStorage entry of the same provider) holding the key; none = send no key. */
  apiKeyEnv?: string;
  /** Name shown in messages, e.g. "Hugging Face". */
  label: string;
}

/** The providers every installation knows without a providers file. */
export const BUILT_IN_PROVIDERS: Readonly<Record<string, ProviderSettings>> = {
  huggingface: {
    name: 'huggingface',
    type: 'huggingface',
    baseURL: 'https://router.huggingface.co/v1',
    apiKeyEnv: 'HF_TOKEN',
    label: 'Hugging Face',
  },
  openai: {
    name: 'openai',
    type: 'openai-compatible',
    baseURL: 'https://api.openai.com/v1',
    apiKeyEnv: 'OPENAI_API_KEY',
    label: 'OpenAI',
  },
  // 127.0.0.1 rather than localhost: Ollama listens on IPv4 only, and localhost may resolve to ::1 first.
  ollama: { name: 'ollama', type: 'openai-compatible', baseURL: 'http://127.0.0.1:11434/v1', label: 'Ollama' },
};

const providerNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "-" or "." and start with a letter');

/** Where a key goes instead, for the names a key is commonly pasted under. */
const KEY_FIELDS = new Set(['apiKey', 'api_key', 'key', 'token']);
const KEY_HINT = 'a key is never written here: name the environment variable that holds it in "apiKeyEnv" (in VS Code, or run "Omni: Set API Key")';

const providerEntrySchema = z.strictObject({
  type: z.enum(['openai-compatible', 'huggingface']).optional().describe('Required for providers that are not built in.'),
  baseURL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. "http://127.0.0.1:8000/v1"' })
    .optional(),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name, e.g. "MY_KEY"')
    .optional(),
  allowInsecureHttp: z.boolean().optional().describe('Allow plain http:// to a host that is not this machine.'),
});

export const providersConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    providers: z.record(providerNameSchema, providerEntrySchema).default({}),
  })
  .superRefine((config, ctx) => {
    for (const [name, entry] of Object.entries(config.providers)) {
      const builtIn = BUILT_IN_PROVIDERS[name];
      if (builtIn && entry.type && entry.type !== builtIn.type) {
        ctx.addIssue({
          code: 'custom',
          path: ['providers', name, 'type'],
          message: `"${name}" is built in with type "${builtIn.type}"; remove "type" or pick another name`,
        });
      }
      if (!builtIn && !entry.type) {
        ctx.addIssue({ code: 'custom', path: ['providers', name, 'type'], message: 'required: "openai-compatible" or "huggingface"' });
      }
      if (!builtIn && !entry.baseURL) {
        ctx.addIssue({ code: 'custom', path: ['providers', name, 'baseURL'], message: 'required, e.g. "http://127.0.0.1:8000/v1"' });
      }
      const baseURL = entry.baseURL ?? builtIn?.baseURL;
      if (baseURL && isPlainHttpToAnotherMachine(baseURL) && !entry.allowInsecureHttp) {
        ctx.addIssue({
          code: 'custom',
          path: ['providers', name, 'baseURL'],
          message: 'plain http:// is only allowed for this machine (localhost, 127.0.0.1, ::1): use https:// or set "allowInsecureHttp": true',
        });
      }
    }
  });

export type ProvidersConfig = z.output<typeof providersConfigSchema>;

/** True for hosts on this machine, where plain http:// does not cross a network. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Whether a URL (a baseURL, a provider's origin) is served on this machine: the test `privacy.localOnly` relies on. */
export function isOnThisMachine(url: string): boolean {
  return isLoopbackHost(new URL(url).hostname);
}

/** False for a string that is no URL at all: the schema has already reported it, at its key. */
function isPlainHttpToAnotherMachine(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname);
}

/** Where a problem is in a file. */
type Locate = (issue: z.core.$ZodIssue) => { line: number; column: number };

/**
 * Validates an already-parsed providers config; `source` names it in errors (a file path or a setting). `locate`,
 * for a file, starts each problem with `source:line:col`, which terminals and editors open at the place.
 */
export function parseProvidersConfig(value: unknown, source: string, locate?: Locate): ProvidersConfig {
  const result = providersConfigSchema.safeParse(value);
  if (result.success) return result.data;
  // zod reports an object's unknown keys after its entries' problems: a file's are listed from its top, as an editor's.
  const located = result.error.issues.map((issue) => ({ issue, at: locate?.(issue) }));
  if (locate) located.sort((a, b) => a.at!.line - b.at!.line || a.at!.column - b.at!.column);
  const problems = located.flatMap(({ issue, at }) => {
    const where = at ? `${source}:${at.line}:${at.column}: ` : '';
    return describeProviderIssues([issue]).map((line) => `  ${where}${line}`);
  });
  // The settings value pasted into a file as is: its entries belong under "providers".
  const pasted = typeof value === 'object' && value !== null && !Array.isArray(value) && !('providers' in value) && Object.keys(value).length > 0;
  const hint = pasted ? '\n  put the entries under "providers": {"providers": {"myvllm": {"type": "openai-compatible", …}}}' : '';
  throw new Error(`${source}: invalid providers config\n${problems.join('\n')}${hint}`);
}

/** A providers value read entry by entry: the valid entries, and why each other one is not used. */
export interface LenientProvidersConfig {
  config: ProvidersConfig;
  /** Provider name → what is wrong with its entry. */
  rejected: Record<string, string>;
}

/**
 * The VS Code setting, read entry by entry: one mistake must not drop every other entry, and above all not an
 * override of a built-in provider (`"openai": {"baseURL": <a local gateway>}`), whose requests and stored key would
 * otherwise go to the public endpoint. A rejected name is unusable until fixed, never replaced by the built-in.
 */
export function parseProvidersLeniently(entries: unknown): LenientProvidersConfig {
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    return { config: { providers: {} }, rejected: { '(the whole setting)': 'must be an object of provider entries, e.g. {"myvllm": {…}}' } };
  }
  const config: ProvidersConfig = { providers: {} };
  const rejected: Record<string, string> = {};
  for (const [name, entry] of Object.entries(entries)) {
    const result = providersConfigSchema.safeParse({ providers: { [name]: entry } });
    if (result.success) Object.assign(config.providers, result.data.providers);
    else rejected[name] = describeProviderIssues(result.error.issues).join('; ');
  }
  return { config, rejected };
}

function describeProviderIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const pastedKey = issues.some((issue) => issue.code === 'unrecognized_keys' && issue.keys.some((key) => KEY_FIELDS.has(key)));
  return [...describeIssues(issues, '(top level)'), ...(pastedKey ? [KEY_HINT] : [])];
}

/** Reads and validates a providers file (JSON with comments allowed). */
export function loadProvidersFile(path: string): ProvidersConfig {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`${path}: cannot read the providers file: ${describeFileError(error)}`);
  }
  const { text, problem } = decodeText(bytes);
  if (problem) throw new Error(`${path}:${problem.line}:${problem.column}: ${problem.message}`);
  if (text.trim() === '') throw new Error(`${path}: the providers file is empty; it holds {"providers": {"myvllm": {…}}}`);
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true });
  const lines = new LineIndex(text);
  // As `omni check` words a policy's: where, and what in words (not jsonc-parser's "ColonExpected"). Text without a
  // value (only comments) is an error too, so there is a tree past this point.
  if (errors.length > 0 || !tree) {
    const { line, column } = lines.position(errors[0].offset);
    throw new Error(`${path}:${line}:${column}: JSON syntax error: ${describeSyntaxError(errors[0])}`);
  }
  const nodes = new NodeIndex(tree);
  // An unknown key or a bad provider name is shown at the key; any other problem at its value.
  const locate: Locate = (issue) => {
    const path = issue.path.filter((segment) => typeof segment !== 'symbol');
    const keyPath = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]] : issue.code === 'invalid_key' ? path : undefined;
    return lines.position(((keyPath && nodes.keyAt(keyPath)) || nodes.nearest(path)).offset);
  };
  return parseProvidersConfig(jsonValue(tree), path, locate);
}

/** Built-ins merged with the user's entries: an entry for a built-in name overrides only the fields it sets. */
export function resolveProviderSettings(config: ProvidersConfig | undefined): Map<string, ProviderSettings> {
  const settings = new Map<string, ProviderSettings>(Object.entries(BUILT_IN_PROVIDERS));
  for (const [name, entry] of Object.entries(config?.providers ?? {})) {
    const base = BUILT_IN_PROVIDERS[name];
    // The schema guarantees type and baseURL for names that are not built in.
    const type = entry.type ?? base?.type ?? 'openai-compatible';
    const baseURL = entry.baseURL ?? base?.baseURL ?? '';
    // Hugging Face endpoints take the same HF_TOKEN as the router unless the entry names another variable; a server on
    // this machine (text-generation-inference, say) usually wants none, and is not sent the user's token unasked.
    const remote = baseURL !== '' && !isOnThisMachine(baseURL);
    const apiKeyEnv = entry.apiKeyEnv ?? base?.apiKeyEnv ?? (type === 'huggingface' && remote ? 'HF_TOKEN' : undefined);
    settings.set(name, { name, type, baseURL, apiKeyEnv, label: base?.label ?? name });
  }
  return settings;
}
