import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readVerdict } from '../../../src/core/router/archRouter/answer';

const names = ['code_generation', 'bug_fixing', 'general_chat'];
const route = (raw: string) => readVerdict(raw, names);

describe("reading Arch-Router's answer", () => {
  it('reads the expected JSON', () => {
    assert.deepEqual(route('{"route": "bug_fixing"}'), { kind: 'route', route: 'bug_fixing' });
  });

  it('reads single quotes', () => {
    assert.deepEqual(route("{'route': 'code_generation'}"), { kind: 'route', route: 'code_generation' });
  });

  it('reads a fenced JSON block with whitespace', () => {
    assert.deepEqual(route('```json\n  {"route": "bug_fixing"}\n```  '), { kind: 'route', route: 'bug_fixing' });
  });

  it('reads literal \\n sequences', () => {
    assert.deepEqual(route('{\\n"route": "general_chat"\\n}'), { kind: 'route', route: 'general_chat' });
  });

  it('takes the first element of a list answer (Plano-Orchestrator)', () => {
    assert.deepEqual(route('{"route": ["bug_fixing", "code_generation"]}'), { kind: 'route', route: 'bug_fixing' });
  });

  it('treats an empty list as no match', () => {
    assert.equal(route('{"route": []}').kind, 'no-match');
  });

  it('treats "other" and empty strings as no match', () => {
    assert.deepEqual(route('{"route": "other"}'), { kind: 'no-match', answered: 'other' });
    assert.equal(route('{"route": ""}').kind, 'no-match');
  });

  it('treats an unknown route name as no match, keeping what was said', () => {
    assert.deepEqual(route('{"route": "cooking"}'), { kind: 'no-match', answered: 'cooking' });
  });

  it('finds the route key inside surrounding chatter', () => {
    assert.deepEqual(route('Sure! {"route": "bug_fixing"} is my pick.'), { kind: 'route', route: 'bug_fixing' });
  });

  it('accepts a bare route name and forgives case and spaces', () => {
    assert.deepEqual(route('bug_fixing'), { kind: 'route', route: 'bug_fixing' });
    assert.deepEqual(route('{"route": "Bug Fixing"}'), { kind: 'route', route: 'bug_fixing' });
  });

  it('reports prose with no route as unparseable', () => {
    assert.equal(route('I think you want to write some code.').kind, 'unparseable');
  });
});
