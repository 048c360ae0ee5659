import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EditorContext, OmniRequest } from '../../src/core/request';
import { createLocalClassifier } from '../../src/core/router/classifier';
import type { RouteCandidate } from '../../src/core/router/types';

function ask(prompt: string, editor?: EditorContext): OmniRequest {
  return { messages: [{ role: 'user', content: prompt }], editor };
}

const lifeRoutes: RouteCandidate[] = [
  { name: 'kitchen', description: 'cooking, recipes, baking and meal planning' },
  { name: 'trips', description: 'travel plans, flights, hotels and itineraries' },
  { name: 'law', description: 'legal questions about contracts, tenants, landlords and courts' },
];

const webRoutes: RouteCandidate[] = [
  { name: 'frontend_css', description: 'page layout, CSS styling, responsive design and UI components in the browser' },
  { name: 'backend_api', description: 'REST endpoints, authentication, request handlers and server-side business logic' },
  { name: 'infra', description: 'deployment, Docker containers, Kubernetes, CI pipelines and cloud configuration' },
];

const workRoutes: RouteCandidate[] = [
  { name: 'alpha', description: 'writing new features and functions from a specification' },
  { name: 'beta', description: 'diagnosing crashes, exceptions and failing programs' },
  { name: 'gamma', description: 'questions about relational databases, SQL queries and table schemas' },
  { name: 'delta', description: 'anything that is not about software or programming: chit-chat, life advice, trivia' },
];

const JAVA_TRACE = [
  'Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()"',
  '    at com.shop.cart.Cart.total(Cart.java:42)',
  '    at com.shop.Main.main(Main.java:10)',
].join('\n');

describe('createLocalClassifier', () => {
  it('picks the route whose description matches, on a route set it has never seen', () => {
    const classifier = createLocalClassifier(lifeRoutes);
    assert.equal(classifier.classify(ask('How long should I bake a loaf of sourdough bread?')).route, 'kitchen');
    assert.equal(classifier.classify(ask('Find me a cheap flight and a hotel in Lisbon for May')).route, 'trips');
    assert.equal(classifier.classify(ask('My landlord wants to keep my deposit, can he do that under my lease?')).route, 'law');
  });

  it('tells frontend, backend and infrastructure work apart by their descriptions', () => {
    const classifier = createLocalClassifier(webRoutes);
    assert.equal(classifier.classify(ask('center this div with flexbox and make the navbar stick to the top')).route, 'frontend_css');
    assert.equal(classifier.classify(ask('add a JWT check to the login endpoint so unauthenticated requests get 401')).route, 'backend_api');
    assert.equal(classifier.classify(ask('the kubernetes deployment keeps restarting the pod after docker push')).route, 'infra');
  });

  it('sends requests with no software evidence to the route described as not about software', () => {
    const classifier = createLocalClassifier(workRoutes);
    assert.equal(classifier.classify(ask('What should I get my sister for her birthday? She likes gardening.')).route, 'delta');
  });

  it('keeps code requests away from the route described as not about software', () => {
    const classifier = createLocalClassifier(workRoutes);
    const result = classifier.classify(ask('write a function that parses a date string', { languageId: 'typescript' }));
    assert.notEqual(result.route, 'delta');
  });

  it('pushes a selection holding a stack trace towards the errors route, whatever it is named', () => {
    const classifier = createLocalClassifier(workRoutes);
    const result = classifier.classify(ask('what does this mean?', { languageId: 'java', selection: JAVA_TRACE }));
    assert.equal(result.route, 'beta');
  });

  it('pushes requests in an sql file towards the database-described route', () => {
    const classifier = createLocalClassifier(workRoutes);
    const result = classifier.classify(ask('only the latest row per customer please', { languageId: 'sql', fileName: 'report.sql' }));
    assert.equal(result.route, 'gamma');
  });

  it('pushes a Dockerfile or CI workflow towards the route that mentions containers and pipelines', () => {
    const classifier = createLocalClassifier(webRoutes);
    assert.equal(classifier.classify(ask('make this smaller', { languageId: 'dockerfile', fileName: 'Dockerfile' })).route, 'infra');
    assert.equal(
      classifier.classify(ask('cache the dependencies', { languageId: 'yaml', fileName: '.github/workflows/build.yml' })).route,
      'infra',
    );
  });

  it('pushes a test file towards the route that mentions tests', () => {
    const routes: RouteCandidate[] = [
      { name: 'r1', description: 'implementing features' },
      { name: 'r2', description: 'unit tests, mocks and fixtures' },
    ];
    const result = createLocalClassifier(routes).classify(ask('cover the empty cart case', { languageId: 'python', fileName: 'tests/test_cart.py' }));
    assert.equal(result.route, 'r2');
  });

  it('uses the Explain command as evidence for an explanation route', () => {
    const routes: RouteCandidate[] = [
      { name: 'make', description: 'writing new code' },
      { name: 'teach', description: 'explaining what code does and why' },
    ];
    const result = createLocalClassifier(routes).classify(ask('', { languageId: 'go', selection: 'func main() { fmt.Println("hi") }', command: 'explain' }));
    assert.equal(result.route, 'teach');
  });

  it('returns a confidence in [0, 1] that is lower for ambiguous input than for clear input', () => {
    const classifier = createLocalClassifier(webRoutes);
    const clear = classifier.classify(ask('fix the CSS grid layout so the cards wrap on small screens in the browser'));
    const vague = classifier.classify(ask('hmm, can you take a look?'));
    for (const result of [clear, vague]) assert.ok(result.confidence >= 0 && result.confidence <= 1);
    assert.ok(clear.confidence > vague.confidence, `${clear.confidence} should exceed ${vague.confidence}`);
  });

  it('returns every route once, best first, with the top one as the route', () => {
    const result = createLocalClassifier(workRoutes).classify(ask('why does my program crash with a segfault?'));
    assert.deepEqual(result.scores.map((s) => s.route).sort(), workRoutes.map((r) => r.name).sort());
    for (let i = 1; i < result.scores.length; i++) assert.ok(result.scores[i - 1].score >= result.scores[i].score);
    assert.equal(result.scores[0].route, result.route);
  });

  it('works with a single route', () => {
    const result = createLocalClassifier([{ name: 'only', description: 'everything' }]).classify(ask('hello there'));
    assert.equal(result.route, 'only');
    assert.equal(result.scores.length, 1);
  });

  it('does not throw on an empty request', () => {
    const classifier = createLocalClassifier(workRoutes, { defaultRoute: 'delta' });
    assert.equal(classifier.classify({ messages: [] }).route, 'delta');
    assert.doesNotThrow(() => classifier.classify(ask('   ', { selection: '' })));
  });

  it('rejects an empty route set when it is created', () => {
    assert.throws(() => createLocalClassifier([]));
  });

  it('lets the description, not the name, decide: renaming routes keeps the same winner', () => {
    const renamed = workRoutes.map((route, i) => ({ ...route, name: `route_${i}` }));
    const request = ask('my app throws an exception on startup', { languageId: 'kotlin' });
    const original = createLocalClassifier(workRoutes).classify(request);
    const anonymous = createLocalClassifier(renamed).classify(request);
    assert.equal(anonymous.route, `route_${workRoutes.findIndex((r) => r.name === original.route)}`);
  });

  it('leans to the default route when evidence is weak, but does not override clear evidence', () => {
    const classifier = createLocalClassifier(webRoutes, { defaultRoute: 'infra' });
    assert.equal(classifier.classify(ask('thoughts?')).route, 'infra');
    assert.equal(classifier.classify(ask('style the submit button with CSS and a hover color')).route, 'frontend_css');
  });

  it('uses examples as evidence for their route', () => {
    const routes: RouteCandidate[] = [
      { name: 'a', description: 'general requests', examples: ['plan my weekly groceries', 'what vegetables are in season'] },
      { name: 'b', description: 'general requests', examples: ['book a train to Paris', 'which museums open on Monday'] },
    ];
    assert.equal(createLocalClassifier(routes).classify(ask('make a grocery list of seasonal vegetables')).route, 'a');
  });

  it('names the concepts and words that drove the pick', () => {
    const result = createLocalClassifier(workRoutes).classify(ask('the program crashes with an exception', { languageId: 'cpp' }));
    assert.ok(result.evidence.some((e) => e.feature === 'concept:error'), JSON.stringify(result.evidence));
  });

  it('applies the softmax temperature to confidence only, never to the pick', () => {
    const request = ask('my app throws an exception on startup', { languageId: 'kotlin' });
    const sharp = createLocalClassifier(workRoutes, { temperature: 0.5 }).classify(request);
    const soft = createLocalClassifier(workRoutes, { temperature: 2 }).classify(request);
    assert.equal(sharp.route, soft.route);
    assert.ok(sharp.confidence > soft.confidence && soft.confidence > 1 / workRoutes.length);
  });

  it('counts earlier turns less than the latest one', () => {
    const classifier = createLocalClassifier(lifeRoutes);
    const request: OmniRequest = {
      messages: [
        { role: 'user', content: 'I am flying to Rome next week' },
        { role: 'assistant', content: 'Nice!' },
        { role: 'user', content: 'what pasta recipe should I cook for dinner tonight?' },
      ],
    };
    assert.equal(classifier.classify(request).route, 'kitchen');
  });
});
