/** What the editor context (language, file, command) says about a request, expressed as concept activations. */
import type { EditorContext } from '../../request';

export type ConceptActivations = Map<string, number>;

/** Language ids that are prose rather than code: an open Markdown file is weak evidence of programming. */
const PROSE_LANGUAGES = new Set(['plaintext', 'markdown', 'restructuredtext', 'asciidoc', 'latex', 'tex', 'bibtex']);

/** Language ids (and file extensions) that point at a specific kind of work. */
const LANGUAGE_CONCEPTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  sql: { database: 1.5 },
  plsql: { database: 1.5 },
  mysql: { database: 1.5 },
  pgsql: { database: 1.5 },
  tsql: { database: 1.5 },
  prisma: { database: 1 },
  graphql: { backend: 1 },
  shellscript: { shell: 1.2 },
  bash: { shell: 1.2 },
  powershell: { shell: 1.2 },
  bat: { shell: 1.2 },
  dockerfile: { shell: 1.5 },
  dockercompose: { shell: 1.5 },
  makefile: { shell: 1 },
  nginx: { shell: 1.2 },
  apacheconf: { shell: 1.2 },
  ini: { shell: 0.6 },
  properties: { shell: 0.5 },
  toml: { shell: 0.4 },
  yaml: { shell: 0.5 },
  terraform: { shell: 1.2 },
  markdown: { docs: 0.6 },
  restructuredtext: { docs: 0.6 },
  asciidoc: { docs: 0.6 },
  html: { frontend: 0.8 },
  css: { frontend: 1 },
  scss: { frontend: 1 },
  less: { frontend: 1 },
  vue: { frontend: 0.6 },
  svelte: { frontend: 0.6 },
  javascriptreact: { frontend: 0.6 },
  typescriptreact: { frontend: 0.6 },
  kotlin: { mobile: 0.3 },
  swift: { mobile: 0.5 },
  dart: { mobile: 0.5 },
};

/** File extensions whose language id differs from the extension, for when only the file name is known. */
const EXTENSION_LANGUAGES: Readonly<Record<string, string>> = {
  sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', ps1: 'powershell', cmd: 'bat', md: 'markdown',
  rst: 'restructuredtext', yml: 'yaml', tf: 'terraform', conf: 'ini', cfg: 'ini', scss: 'scss', jsx: 'javascriptreact',
  tsx: 'typescriptreact', txt: 'plaintext', tex: 'latex', py: 'python', js: 'javascript', ts: 'typescript',
};

/** Path patterns that name a kind of work whatever the language. */
const PATH_CONCEPTS: ReadonlyArray<readonly [RegExp, string, number]> = [
  [/(^|\/)(tests?|__tests__|specs?|testing)\//i, 'test', 1.5],
  [/(^|\/)test[_.-]|[_.-](test|tests|spec)\.[a-z0-9]+$|[a-z0-9]Tests?\.[a-z]+$/, 'test', 1.5],
  [/(^|\/)(dockerfile|containerfile)$|docker-compose|compose\.ya?ml$/i, 'shell', 1.5],
  [/(^|\/)\.github\/workflows\/|\.gitlab-ci\.ya?ml$|(^|\/)jenkinsfile$|azure-pipelines|\.circleci\//i, 'shell', 1.5],
  [/(^|\/)(makefile|\.env[\w.]*|\.bashrc|\.zshrc|\.profile|\.gitignore|\.gitattributes)$/i, 'shell', 1.2],
  [/(^|\/)(k8s|kubernetes|helm|charts|infra|deploy|ansible|terraform)\//i, 'shell', 1],
  [/(^|\/)(migrations?|db|database|sql)\//i, 'database', 1],
  [/(^|\/)schema\.(prisma|sql|graphql)$/i, 'database', 0.8],
  [/(^|\/)(readme|changelog|contributing|license)(\.[a-z]+)?$/i, 'docs', 1],
  [/(^|\/)docs?\//i, 'docs', 0.6],
];

function add(activations: ConceptActivations, concept: string, weight: number): void {
  activations.set(concept, (activations.get(concept) ?? 0) + weight);
}

function extensionLanguage(fileName: string | undefined): string | undefined {
  const extension = fileName?.match(/\.([a-z0-9]+)$/i)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : (EXTENSION_LANGUAGES[extension] ?? extension);
}

function addLanguageConcepts(activations: ConceptActivations, language: string): void {
  for (const [concept, weight] of Object.entries(LANGUAGE_CONCEPTS[language] ?? {})) add(activations, concept, weight);
}

/** Concept activations implied by the open file's language and path and by the Omni command used. */
export function editorConcepts(editor: EditorContext | undefined): ConceptActivations {
  const activations: ConceptActivations = new Map();
  if (!editor) return activations;
  const fileLanguage = extensionLanguage(editor.fileName);
  const language = editor.languageId?.toLowerCase() ?? fileLanguage;
  if (language !== undefined) {
    add(activations, 'software', PROSE_LANGUAGES.has(language) ? 0.2 : 1.2);
    addLanguageConcepts(activations, language);
  }
  // A `.sql` file opened as plain text still says "database".
  if (fileLanguage !== undefined && fileLanguage !== language) addLanguageConcepts(activations, fileLanguage);
  for (const [pattern, concept, weight] of PATH_CONCEPTS) if (editor.fileName && pattern.test(editor.fileName)) add(activations, concept, weight);
  if (editor.command === 'explain') add(activations, 'explain', 2);
  if (editor.command === 'refactor') add(activations, 'restructure', 2);
  return activations;
}
