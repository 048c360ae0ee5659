/** Characters per token: the usual rough estimate, also what the Arch-Router reference gateway uses. */
export const CHARS_PER_TOKEN = 4;

/** Estimated tokens of `text`, for budgets and for providers that report no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
