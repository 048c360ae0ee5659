/** Turns raw match scores into probabilities that sum to 1. */

/** Softmax of `scores / temperature`; the temperature is fitted so the top probability is calibrated. */
export function softmax(scores: Float64Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (const score of scores) if (score > max) max = score;
  const probabilities = new Float64Array(scores.length);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    probabilities[i] = Math.exp((scores[i] - max) / temperature);
    sum += probabilities[i];
  }
  for (let i = 0; i < probabilities.length; i++) probabilities[i] /= sum;
  return probabilities;
}
