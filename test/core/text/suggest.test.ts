import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closest, editDistance, suggestion } from '../../../src/core/text/suggest';
import { seededRandom } from '../../support/random';

describe('edit distance', () => {
  it('counts inserts, deletes and substitutions', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('route', 'route'), 0);
    assert.equal(editDistance('flaw', 'lawn'), 2);
  });

  it('with a bound, gives the exact distance up to it and bound + 1 beyond it', () => {
    const random = seededRandom(11);
    const word = () => Array.from({ length: random.between(0, 9) }, () => random.pick(['a', 'b', 'c'])).join('');
    for (let i = 0; i < 2000; i++) {
      const [a, b, max] = [word(), word(), random.between(0, 5)];
      const exact = editDistance(a, b);
      assert.equal(editDistance(a, b, max), Math.min(exact, max + 1), `"${a}" "${b}" max ${max}`);
    }
  });
});

describe('closest name', () => {
  it('picks the nearest candidate within the typo limit, the first one on a tie', () => {
    assert.equal(closest('codr', ['general', 'coder', 'coders']), 'coder');
    assert.equal(closest('ab', ['ax', 'ay']), 'ax');
    assert.equal(closest('GENERAL', ['general']), 'general');
  });

  it('finds a close name after many far ones, and none when all are far', () => {
    const far = Array.from({ length: 5000 }, (_, i) => `route_${i}_with_a_long_name`);
    assert.equal(closest('bug_fixng', [...far, 'bug_fixing']), 'bug_fixing');
    assert.equal(closest('zzz', far), undefined);
  });

  it('takes a name cut short for the one candidate that extends it', () => {
    assert.equal(closest('general', ['general_chat', 'code_generation']), 'general_chat');
    assert.equal(closest('code', ['code_generation', 'code_explanation']), undefined);
  });

  it('lists the known names, capped, when nothing is close', () => {
    assert.equal(suggestion('xyz', ['alpha', 'beta', 'gamma'], 2), ' Known: "alpha", "beta", … and 1 more.');
    assert.equal(suggestion('bta', ['alpha', 'beta']), ' Did you mean "beta"?');
  });
});
