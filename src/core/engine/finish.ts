/** What a provider's `finish_reason` means to the user: an answer cut short, or no answer at all. */

/** A sentence for an answer that arrived but did not end on its own, else undefined. */
export function incompleteNote(finishReason: string | undefined): string | undefined {
  if (finishReason === 'length') return "the answer was cut off at the model's output limit";
  if (finishReason === 'content_filter') return "the provider's content filter stopped the answer";
  return undefined;
}

/** Why a stream that finished carried no answer text, for the failover note. */
export function emptyAnswerMessage(provider: string, finishReason: string | undefined, hadReasoning: boolean): string {
  if (finishReason === 'length') {
    return `${provider} reached its output limit before writing an answer${hadReasoning ? ' (it was still reasoning)' : ''}`;
  }
  if (finishReason === 'content_filter') return `${provider}'s content filter blocked the answer`;
  if (finishReason === 'tool_calls' || finishReason === 'function_call') {
    return `${provider} asked to call a tool instead of answering (Omni offers the model no tools)`;
  }
  return hadReasoning ? `${provider} sent reasoning but no answer` : `${provider} sent an empty answer`;
}
