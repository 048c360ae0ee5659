/** Turns raw match scores into probabilities that sum to 1. */

/** Softmax of `scores / temperature` (temperature > 1 spreads probability over more routes). */
export function softmax(scores: Float64Array, temperature = 1): Float64Array {
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
