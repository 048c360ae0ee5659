/** Inverted index from route columns to routes, so scoring costs one pass over the request's projected columns. */
import type { FeatureVector } from './features';

interface Postings {
  routes: number[];
  weights: number[];
}

export interface FeatureContribution {
  feature: string;
  contribution: number;
}

export interface RouteIndex {
  /** Adds every route's score for a projected request (column → weight) into `scores` (one slot per route). */
  accumulate(projected: FeatureVector, scores: Float64Array): void;
  /** The columns that most raised one route's score, largest first. */
  contributions(projected: FeatureVector, route: number, limit: number): FeatureContribution[];
}

/** Indexes the columns of every route (see `routeSetColumns`). */
export function buildRouteIndex(columns: readonly FeatureVector[]): RouteIndex {
  const postings = new Map<string, Postings>();
  columns.forEach((routeColumns, route) => {
    for (const [column, weight] of routeColumns) {
      let list = postings.get(column);
      if (!list) postings.set(column, (list = { routes: [], weights: [] }));
      list.routes.push(route);
      list.weights.push(weight);
    }
  });

  return {
    accumulate(projected, scores) {
      for (const [column, value] of projected) {
        const list = postings.get(column);
        if (!list) continue;
        for (let i = 0; i < list.routes.length; i++) scores[list.routes[i]] += value * list.weights[i];
      }
    },
    contributions(projected, route, limit) {
      const found: FeatureContribution[] = [];
      for (const [column, value] of projected) {
        const contribution = value * (columns[route].get(column) ?? 0);
        if (contribution > 0) found.push({ feature: column, contribution });
      }
      return found.sort((a, b) => b.contribution - a.contribution).slice(0, limit);
    },
  };
}
