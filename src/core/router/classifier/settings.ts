/** Tunable constants of the scoring model, in one place so the benchmark can vary them. */
export interface ClassifierSettings {
  /** Weight of a shared word stem relative to a shared concept. */
  wordScale: number;
  /** Power applied to a route's concept evidence: above 1, concepts a description names once in passing fade. */
  conceptSharpness: number;
  /** Power of the inverse route frequency: higher makes features shared by many routes count less. */
  idfPower: number;
  /** Route vectors are divided by their norm to this power: 1 = cosine, 0 = raw overlap. */
  normExponent: number;
  /** Pull of a description's exclusion ("not about X") when the request has no X, and push when it has. */
  exclusionWeight: number;
  /** Score bonus of the default route: decides only when the other evidence is weak. */
  defaultPrior: number;
  /** Share of an intent concept ("fix", "explain") that counts when the request shows nothing it depends on. */
  dependencyFloor: number;
  /** Softmax temperature that turns scores into calibrated probabilities. */
  temperature: number;
}

export const DEFAULT_SETTINGS: Readonly<ClassifierSettings> = {
  wordScale: 0.5,
  conceptSharpness: 2,
  idfPower: 2,
  normExponent: 1,
  exclusionWeight: 0.7,
  defaultPrior: 0.15,
  dependencyFloor: 0.4,
  temperature: 0.2,
};
