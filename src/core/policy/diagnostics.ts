/** Located problems in a policy file, in the form editors and terminals both show. */

export type Severity = 'error' | 'warning';

export interface PolicyDiagnostic {
  severity: Severity;
  /** The file as given to the loader (a path, or a label such as `<default policy>`). */
  file: string;
  /** 1-based line and column where the problem starts. */
  line: number;
  column: number;
  /** 0-based character offset and length, for editors that place squiggles. */
  offset: number;
  length: number;
  /** JSON path of the offending value, e.g. `routes[1].model`; `(root)` for the whole document. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
  /** Set on JSON syntax errors, which an editor's own JSON support already reports. */
  syntax?: true;
}

/** `file:line:col: severity: message (at path)` — the format compilers use, so terminals make it clickable. */
export function formatDiagnostic(d: PolicyDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} (at ${d.path})`;
}

/** A JSON path such as `routes[1].when.files`. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const plain = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment);
      if (!plain) return `[${JSON.stringify(segment)}]`;
      return i === 0 ? segment : `.${segment}`;
    })
    .join('');
}

const LF = 10;
const CR = 13;

/**
 * Converts character offsets into 1-based line/column pairs for one text. Lines break where VS Code breaks them: at
 * `\r\n`, `\n` and a lone `\r`; columns count UTF-16 code units, as VS Code's do.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === LF || (code === CR && text.charCodeAt(i + 1) !== LF)) this.starts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }
}

/** Diagnostics in reading order, each once: checks run in schema order, and the JSON parser repeats itself at EOF. */
export function inReadingOrder(diagnostics: readonly PolicyDiagnostic[]): PolicyDiagnostic[] {
  const seen = new Set<string>();
  return [...diagnostics]
    .sort((a, b) => a.offset - b.offset)
    .filter((d) => {
      const key = JSON.stringify([d.offset, d.length, d.severity, d.path, d.message]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
