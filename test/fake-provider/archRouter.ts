/** Plays Arch-Router: reads the routes and the conversation from the prompt and answers a route in a chosen format. */
import type { ConversationTurn, ResolvedBehaviour, RouteOption } from './behaviours';

type ArchRouterBehaviour = NonNullable<ResolvedBehaviour['archRouter']>;

/** The answer text Arch-Router would give to `prompt`. */
export function archRouterAnswer(prompt: string, behaviour: ArchRouterBehaviour): string {
  const routes = taggedJson<RouteOption[]>(prompt, 'routes') ?? [];
  const conversation = taggedJson<ConversationTurn[]>(prompt, 'conversation') ?? [];
  return formatRoute(chooseRoute(routes, conversation, behaviour), behaviour.format);
}

function chooseRoute(routes: RouteOption[], conversation: ConversationTurn[], behaviour: ArchRouterBehaviour): string {
  if (behaviour.choose) return behaviour.choose(routes, conversation);
  const latest = [...conversation].reverse().find((turn) => turn.role === 'user')?.content.toLowerCase() ?? '';
  for (const [route, words] of Object.entries(behaviour.keywords ?? {})) {
    if (words.some((word) => latest.includes(word.toLowerCase()))) return route;
  }
  return behaviour.route ?? 'other';
}

function formatRoute(route: string, format: ArchRouterBehaviour['format']): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ route });
    case 'single-quotes':
      return `{'route': '${route}'}`;
    case 'fenced':
      return '```json\n' + JSON.stringify({ route }) + '\n```';
    case 'list':
      return JSON.stringify({ route: [route] });
  }
}

function taggedJson<T>(prompt: string, tag: string): T | undefined {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(prompt);
  if (!match) return undefined;
  try {
    return JSON.parse(match[1]) as T;
  } catch {
    return undefined;
  }
}
