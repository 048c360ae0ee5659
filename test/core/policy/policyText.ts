/** A valid policy as text, and a helper for the rejected ones; tests edit it to introduce one mistake at a known line. */
import assert from 'node:assert/strict';
import { parsePolicy } from '../../../src/core/policy/parse';

export const valid = `{
  // teams comment their policies
  "version": 1,
  "models": {
    "coder": { "provider": "huggingface", "model": "Qwen/Qwen3-Coder-480B-A35B-Instruct", "price": { "input": 2, "output": 2 } },
    "general": { "provider": "huggingface", "model": "meta-llama/Llama-3.3-70B-Instruct" },
  },
  "routes": [
    { "name": "code_generation", "description": "writing new code", "model": "coder", "fallbacks": ["general"] },
    { "name": "general_chat", "description": "questions not about software", "model": "general" },
  ],
  "rules": [ { "when": { "files": ["**/*.sql"] }, "route": "code_generation" } ],
  "defaultRoute": "general_chat",
}`;

/** The 1-based column where `needle` starts on 1-based `line` of `text`. */
export function columnOf(text: string, line: number, needle: string): number {
  const column = text.split('\n')[line - 1].indexOf(needle);
  assert.ok(column >= 0, `"${needle}" is not on line ${line}`);
  return column + 1;
}

export function errorsOf(text: string) {
  const result = parsePolicy(text, '.omni/policies.json');
  assert.equal(result.ok, false, 'expected the policy to be rejected');
  return result.diagnostics;
}

/** The diagnostics of a policy that must still load. */
export function warningsOf(text: string) {
  const result = parsePolicy(text, '.omni/policies.json');
  assert.ok(result.ok, JSON.stringify(result.diagnostics));
  return result.diagnostics;
}
