// language-configuration.json's wordPattern: what VS Code takes as one word
// (double-click, word-based suggestions, the range a hover or a rename
// starts from). Each of these must come out whole.
'use strict';
const assert = require('assert/strict');
const { wordPattern } = require('../language-configuration.json');

const line = 'in 24x7 on 2nd tue, 2025-12-24 09:00-17:00 for 85% within 1.5 hours of opened_at';
const words = line.match(new RegExp(wordPattern, 'g'));
for (const w of ['24x7', '2nd', '2025-12-24', '09:00', '17:00', '85%', '1.5', 'opened_at']) {
  assert.ok(words.includes(w), `\`${w}\` is one word; got ${JSON.stringify(words)}`);
}
console.log('wordPattern keeps 24x7, ordinals, dates, times, percentages and names whole');
