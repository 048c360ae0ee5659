/**
 * The user-level providers file (`--providers FILE`, `OMNI_PROVIDERS`, or the extension's settings mapped onto the
 * same shape): which endpoints exist, and which environment variable holds each one's key.
 */
import { readFileSync } from 'node:fs';
import { parseTree, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { LineIndex } from '../policy/diagnostics';
import { jsonValue, NodeIndex } from '../policy/jsonTree';
import { describeIssues, messageOf } from '../text/issues';
import { oneLinePreview } from '../text/preview';
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

const PROVIDER_TYPES = ['openai-compatible', 'huggingface'] as const;

/**
 * Field names a key is pasted under, whatever the case or separators: apiKey, API_KEY, apiToken, access_token, hf_token,
 * secret, password, bearer, Authorization… They get the hint below instead of only "unknown field".
 */
const KEY_LIKE_FIELD = /key|token|secret|passw(or)?d|bearer|auth|credential/;
const isKeyLikeField = (name: string) => KEY_LIKE_FIELD.test(name.toLowerCase().replace(/[^a-z]/g, ''));
const KEY_HINT = 'a key is never written here: name the environment variable that holds it in "apiKeyEnv" (in VS Code, or run "Omni: Set API Key")';

/**
 * A key rather than a variable's name: a vendor prefix (hf_, ghp_, gsk_…) before a long random run, or a long run
 * mixing lower case, upper case and digits without the underscores variable names are written with.
 */
function looksLikeKey(value: string): boolean {
  if (/^[a-z0-9]{1,4}_[A-Za-z0-9]{20,}$/.test(value)) return true;
  return value.length >= 24 && !value.includes('_') && /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value);
}

/**
 * A value the user wrote, quoted in one short line so they can find it. Never a key: a long run of token characters
 * (sk-…, hf_…) pasted where a URL or type belongs is not repeated into logs and notifications.
 */
function shown(value: unknown): string {
  if (typeof value === 'string' && /^[A-Za-z0-9_-]{20,}$/.test(value)) return '(a value that looks like a key, not shown)';
  return oneLinePreview(JSON.stringify(value) ?? String(value), 60);
}

const quotedList = (names: readonly string[]) => names.map((name) => `"${name}"`).join(', ');

// The messages of an entry's fields read after the field's name: `type "openai" is not one of …` (see describeProviderIssues).
const entryFields = {
  type: z
    .enum(PROVIDER_TYPES, { error: (issue) => `${shown(issue.input)} is not one of ${quotedList(PROVIDER_TYPES)}` })
    .optional()
    .describe('Required for providers that are not built in.'),
  baseURL: z
    .url({ protocol: /^https?$/, error: (issue) => `${shown(issue.input)} is not an http:// or https:// URL, e.g. "http://127.0.0.1:8000/v1"` })
    .optional(),
  // Not echoed: what does not fit a variable name here is most likely the key itself.
  apiKeyEnv: z
    .string({ error: 'must be the name of an environment variable, e.g. "MY_KEY"' })
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable, e.g. "MY_KEY", not the key itself')
    // Some keys are valid variable names (hf_…): taken for one, the key would be quoted as "variable … is not set".
    .refine((name) => !looksLikeKey(name), 'must be the name of an environment variable, e.g. "MY_KEY", not the key itself')
    .optional(),
  allowInsecureHttp: z
    .boolean({ error: (issue) => `${shown(issue.input)} is not true or false` })
    .optional()
    .describe('Allow plain http:// to a host that is not this machine.'),
};

const providerEntrySchema = z.strictObject(entryFields, {
  // Not the value: an entry that is a string may be a pasted key.
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `${issue.keys.length === 1 ? 'unknown field' : 'unknown fields'} ${quotedList(issue.keys)}; the fields are ${quotedList(Object.keys(entryFields))}`
      : issue.code === 'invalid_type'
        ? 'must be an object of fields, e.g. {"type": "openai-compatible", "baseURL": "http://127.0.0.1:8000/v1"}'
        : undefined,
});

export const providersConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    providers: z.record(providerNameSchema, providerEntrySchema).default({}),
  })
  // Also run when a field failed its own check (which stops zod's refinements by default): every problem of every
  // entry is reported at once, so fixing one does not reveal the next. The value may then hold what failed.
  .superRefine((config, ctx) => {
    const providers: unknown = isRecord(config) ? config.providers : undefined;
    if (!isRecord(providers)) return;
    for (const [name, entry] of Object.entries(providers)) {
      if (!isRecord(entry)) continue;
      const builtIn = BUILT_IN_PROVIDERS[name];
      const type = PROVIDER_TYPES.find((known) => known === entry.type);
      if (builtIn && type && type !== builtIn.type) {
        ctx.addIssue({
          code: 'custom',
          path: ['providers', name, 'type'],
          message: `${shown(type)} differs from the built-in provider's, "${builtIn.type}": remove "type", or give this entry another name`,
        });
      }
      if (!builtIn && entry.type === undefined) {
        ctx.addIssue({ code: 'custom', path: ['providers', name, 'type'], message: `is required: ${quotedList(PROVIDER_TYPES)}` });
      }
      if (!builtIn && entry.baseURL === undefined) {
        ctx.addIssue({ code: 'custom', path: ['providers', name, 'baseURL'], message: 'is required, e.g. "http://127.0.0.1:8000/v1"' });
      }
      const baseURL = entry.baseURL ?? builtIn?.baseURL;
      // An allowInsecureHttp that is no boolean has its own problem, which says what to write.
      if (typeof baseURL === 'string' && isPlainHttpToAnotherMachine(baseURL) && !entry.allowInsecureHttp) {
        ctx.addIssue({
          code: 'custom',
          path: ['providers', name, 'baseURL'],
          message: `${shown(baseURL)} is plain http:// to another machine, which is only allowed for this one (localhost, 127.0.0.1, ::1): use https:// or set "allowInsecureHttp": true`,
        });
      }
    }
  }, { when: () => true });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
    return describeProviderIssues([issue], 'path').map((line) => `  ${where}${line}`);
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
    // Shown after the name (`"nourl": baseURL is required…`), so the name is not repeated in each problem.
    else rejected[name] = describeProviderIssues(result.error.issues, 'field').join('; ');
  }
  return { config, rejected };
}

/**
 * Each problem in a line: a field's after its path (`providers.local.type "openai" is not one of …`), or for `'field'`,
 * whose caller names the entry, after the field alone (`type "openai" is not one of …`); a problem of the entry itself
 * or of the whole file as `path: problem`.
 */
function describeProviderIssues(issues: readonly z.core.$ZodIssue[], naming: 'path' | 'field'): string[] {
  const pastedKey = issues.some((issue) => issue.code === 'unrecognized_keys' && issue.keys.some(isKeyLikeField));
  const lines = issues.map((issue) => {
    const [top, name, field] = issue.path;
    if (top !== 'providers' || name === undefined) return describeIssues([issue], '(top level)')[0];
    if (field !== undefined) return `${naming === 'path' ? issue.path.join('.') : String(field)} ${messageOf(issue)}`;
    return naming === 'path' ? describeIssues([issue], '')[0] : messageOf(issue);
  });
  return [...lines, ...(pastedKey ? [KEY_HINT] : [])];
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
