/** What the policy checks report: a problem at a JSON path, placed in the text afterwards. */
import type { Severity } from './diagnostics';

export type JsonPath = (string | number)[];

/** Past this many problems a file is not a policy being edited; describing more would only cost time. */
export const MAX_PROBLEMS = 100;

/** A problem found by a check, before it is placed in the text. */
export interface PolicyProblem {
  path: JsonPath;
  message: string;
  /**
   * The costly end of the message, e.g. a did-you-mean against thousands of route names: computed only for the
   * problems that are reported.
   */
  hint?: () => string;
  severity?: Severity;
  /** Point at the key of the property `path` names rather than at its value (unknown keys). */
  atKey?: boolean;
  /** An exact place, when the path alone cannot say which occurrence (duplicate keys). */
  range?: { offset: number; length: number };
  /** Set on a required key that is absent. */
  missing?: boolean;
  /** Set on an unknown key that looks like a typo of this allowed key. */
  suggestedKey?: string;
}
