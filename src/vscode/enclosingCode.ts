/**
 * What Explain and Refactor act on when nothing is selected: the function (or else the class) around the cursor, as
 * the language's own symbol provider sees it, or the block of non-blank lines around the cursor where no provider
 * answers. The same gesture then works in every file, instead of the keybinding doing nothing.
 */
import * as vscode from 'vscode';

/** A language server still starting must not keep the user waiting longer than this for a symbol outline. */
const SYMBOL_WAIT_MS = 2000;

const FUNCTION_KINDS = new Set([vscode.SymbolKind.Function, vscode.SymbolKind.Method, vscode.SymbolKind.Constructor]);
const TYPE_KINDS = new Set([
  vscode.SymbolKind.Class, vscode.SymbolKind.Interface, vscode.SymbolKind.Struct, vscode.SymbolKind.Enum, vscode.SymbolKind.Object,
]);

export interface EnclosingCode {
  readonly range: vscode.Range;
  /** What the range is, for the user: "the function parse", or "the lines around the cursor". */
  readonly what: string;
}

export async function enclosingCode(document: vscode.TextDocument, position: vscode.Position): Promise<EnclosingCode | undefined> {
  const symbols = await documentSymbols(document);
  const chain = symbolsAround(symbols, position);
  const innermost = (kinds: Set<vscode.SymbolKind>) => [...chain].reverse().find((symbol) => kinds.has(symbol.kind));
  const symbol = innermost(FUNCTION_KINDS) ?? innermost(TYPE_KINDS);
  if (symbol) return { range: wholeLines(document, symbol.range), what: `the ${vscode.SymbolKind[symbol.kind].toLowerCase()} ${symbol.name}` };
  const block = blockAround(document, position.line);
  return block && { range: block, what: 'the lines around the cursor' };
}

async function documentSymbols(document: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), SYMBOL_WAIT_MS)));
  try {
    const found = await Promise.race([
      vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
        'vscode.executeDocumentSymbolProvider', document.uri),
      timeout,
    ]);
    // Older providers answer with flat SymbolInformation; give them the nested shape.
    return (found ?? []).map((symbol) =>
      'children' in symbol ? symbol : new vscode.DocumentSymbol(symbol.name, '', symbol.kind, symbol.location.range, symbol.location.range));
  } catch {
    return [];
  } finally {
    clearTimeout(timer);
  }
}

/** The symbols that contain `position`, outermost first. */
function symbolsAround(symbols: readonly vscode.DocumentSymbol[], position: vscode.Position): vscode.DocumentSymbol[] {
  const chain: vscode.DocumentSymbol[] = [];
  for (let level = symbols; ; ) {
    const inside = level.find((symbol) => symbol.range.contains(position));
    if (!inside) return chain;
    chain.push(inside);
    level = inside.children;
  }
}

/** Full lines, so the selection shows and replaces what the user sees as the function, indentation included. */
function wholeLines(document: vscode.TextDocument, range: vscode.Range): vscode.Range {
  return new vscode.Range(range.start.line, 0, range.end.line, document.lineAt(range.end.line).text.length);
}

function blockAround(document: vscode.TextDocument, line: number): vscode.Range | undefined {
  const blank = (at: number) => document.lineAt(at).isEmptyOrWhitespace;
  if (blank(line)) return undefined;
  let first = line;
  let last = line;
  while (first > 0 && !blank(first - 1)) first--;
  while (last < document.lineCount - 1 && !blank(last + 1)) last++;
  return wholeLines(document, new vscode.Range(first, 0, last, 0));
}
