#!/usr/bin/env node
// Generates the highlighting vocabulary of the editor integrations from the
// one grammar of the language, grammar/sla.pest, so that they cannot drift:
//
//   editors/vscode/syntaxes/sla.tmLanguage.json        (written whole)
//   editors/tree-sitter-sla/queries/highlights.scm     (the block between the
//                                                      `vocabulary` markers)
//
//   node editors/gen-vocabulary.js           rewrite both files
//   node editors/gen-vocabulary.js --check   exit 1 if either is out of date
//
// The words come from the pest grammar: every `kw_NAME` rule, and every other
// atomic rule made only of literal words (weekday, month, units, field types,
// `24x7`, ...). Each word lands in one highlighting group; the table GROUPS
// below maps a group to its TextMate scope and its tree-sitter capture (the
// same vocabulary on both sides). A keyword this script has never heard of
// falls into the plain `keyword` group, so a new `kw_` rule is highlighted
// after a re-run without touching this file. tests/editors_vocabulary.rs
// checks the result independently of this script.
//
// No dependencies: plain node (>= 18).
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const PEST = path.join(ROOT, 'grammar', 'sla.pest');
const TM_FILE = path.join(ROOT, 'editors', 'vscode', 'syntaxes', 'sla.tmLanguage.json');
const HL_FILE = path.join(ROOT, 'editors', 'tree-sitter-sla', 'queries', 'highlights.scm');

// ------------------------------------------------------------------ reading the grammar

// Rules as { name -> { atomic, body } }; a rule is `name = MOD{ body }` on
// one line (the style of sla.pest; a multi-line rule is joined up to its `}`).
function readRules(text) {
  const rules = new Map();
  const lines = text.split('\n').map((l) => l.replace(/^\s*\/\/.*$/, ''));
  const src = lines.join('\n');
  const re = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([_@$!]?)\{/gm;
  let m;
  while ((m = re.exec(src))) {
    // The body runs to the matching `}` (string literals may hold braces).
    let i = re.lastIndex, depth = 1, inStr = false;
    for (; i < src.length && depth > 0; i++) {
      const c = src[i];
      if (inStr) { if (c === '\\') i++; else if (c === '"') inStr = false; }
      else if (c === '"') inStr = true;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    rules.set(m[1], { atomic: m[2] === '@', body: src.slice(re.lastIndex, i - 1).trim() });
  }
  return rules;
}

function literals(body) {
  return [...body.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
}

// A word rule is atomic and made only of literals, alternation, grouping,
// `~`, `!ident_char` and `WHITESPACE+` (e.g. `weekday`, `duration_unit`).
function isWordRule(rule) {
  if (!rule.atomic) return false;
  const rest = rule.body
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/!ident_char|WHITESPACE\+?|[~|()\s]/g, '');
  return rest === '' && literals(rule.body).every((w) => /^[a-z0-9]+$/.test(w));
}

// Returns { keywords: Map(word -> rule), words: Map(word -> [rules]), items: [word] }.
function vocabulary(pestText) {
  const rules = readRules(pestText);
  const keywords = new Map();
  const words = new Map();
  for (const [name, rule] of rules) {
    if (name.startsWith('kw_')) {
      const [word] = literals(rule.body);
      if (word !== name.slice(3)) throw new Error(`${name} spells "${word}"`);
      keywords.set(word, name);
    } else if (isWordRule(rule)) {
      for (const w of literals(rule.body)) words.set(w, [...(words.get(w) || []), name]);
    }
  }
  // Top-level items: the first keyword of each alternative of `item`.
  const items = [];
  for (const alt of rules.get('item').body.split('|').map((s) => s.trim())) {
    const m = /^kw_([a-z_]+)/.exec(rules.get(alt).body);
    if (!m) throw new Error(`item ${alt} does not start with a keyword`);
    items.push(m[1]);
  }
  // Keywords that spell a field type (`label` of `type_label`), and those
  // also used outside the field types (`status` of `paused while status`).
  const typeKeywords = new Set(), otherKeywords = new Set();
  for (const [name, rule] of rules) {
    for (const m of rule.body.matchAll(/\bkw_([a-z_]+)/g)) {
      (name.startsWith('type_') ? typeKeywords : otherKeywords).add(m[1]);
    }
  }
  return { keywords, words, items, typeKeywords, otherKeywords };
}

// ------------------------------------------------------------------ groups

// group -> [TextMate scope, tree-sitter capture, description]
const GROUPS = {
  declaration: ['keyword.declaration.sla', 'keyword.declaration', 'top-level items: contract, calendar, ...'],
  type: ['support.type.sla', 'type.builtin', 'field types'],
  modifier: ['storage.modifier.sla', 'keyword.modifier', 'field modifiers'],
  weekday: ['constant.language.weekday.sla', 'constant.builtin', 'days of the week'],
  month: ['constant.language.month.sla', 'constant.builtin', 'months of the year'],
  always: ['constant.language.always.sla', 'constant.builtin', 'the calendar that is always open'],
  unit: ['keyword.other.unit.sla', 'keyword.unit', 'units of durations and periods'],
  logical: ['keyword.operator.logical.sla', 'keyword.operator', 'and, or, not, inside, ...'],
  control: ['keyword.control.sla', 'keyword.control', 'words that make rules conditional'],
  keyword: ['keyword.other.sla', 'keyword', 'all other keywords'],
};

// Which rules' words go to which group (first match wins, in this order);
// the rest of the keywords are `keyword`.
function groupOf(word, voc) {
  const rules = [...(voc.words.get(word) || []), voc.keywords.get(word)].filter(Boolean);
  const has = (pred) => rules.some(pred);
  if (voc.items.includes(word)) return 'declaration';
  if (has((r) => r.startsWith('type_')) || voc.typeKeywords.has(word)) return 'type';
  if (has((r) => r === 'optional')) return 'modifier';
  if (has((r) => r === 'weekday')) return 'weekday';
  if (has((r) => r === 'month')) return 'month';
  if (has((r) => r === 'always')) return 'always';
  if (has((r) => /_unit$|^period$/.test(r)) || ['weeks', 'years', 'hours'].includes(word)) return 'unit';
  if (['and', 'or', 'not', 'is', 'empty', 'inside', 'outside'].includes(word)) return 'logical';
  if (['when', 'if', 'then', 'while', 'after', 'every'].includes(word)) return 'control';
  return 'keyword';
}

function grouped(voc) {
  const all = [...new Set([...voc.keywords.keys(), ...voc.words.keys()])].sort();
  const out = {};
  for (const g of Object.keys(GROUPS)) out[g] = [];
  for (const w of all) {
    const group = groupOf(w, voc);
    out[group].push(w);
    // A type word that is a keyword elsewhere too is highlighted as both.
    if (group === 'type' && voc.otherKeywords.has(w)) out.keyword.push(w);
  }
  return out;
}

// ------------------------------------------------------------------ TextMate

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
// Longest words first so that `hours` wins over `hour` inside an alternation.
const alt = (ws) => [...ws].sort((a, b) => b.length - a.length || a.localeCompare(b)).join('|');

function textMate(g) {
  const decl = '(?:^|(?<=[{}]))\\s*';
  const repository = {
    comment: { name: 'comment.line.number-sign.sla', match: '#.*$' },
    string: {
      name: 'string.quoted.double.sla',
      begin: '"',
      end: '"|$',
      beginCaptures: { 0: { name: 'punctuation.definition.string.begin.sla' } },
      endCaptures: { 0: { name: 'punctuation.definition.string.end.sla' } },
      patterns: [{ name: 'constant.character.escape.sla', match: '\\\\.' }],
    },
    // `[high, medium]`: the values of a label field, never keywords.
    'value-list': {
      begin: '\\[',
      end: '\\]',
      beginCaptures: { 0: { name: 'punctuation.section.brackets.begin.sla' } },
      endCaptures: { 0: { name: 'punctuation.section.brackets.end.sla' } },
      patterns: [
        { include: '#comment' },
        { include: '#string' },
        { name: 'constant.numeric.integer.sla', match: '\\b\\d+\\b' },
        { name: 'variable.other.enummember.sla', match: IDENT },
        { name: 'punctuation.separator.comma.sla', match: ',' },
      ],
    },
    // `opened_at: timestamp optional from "Created"` inside `fields { }`.
    'field-declaration': {
      match: `^\\s*(${IDENT})\\s*(:)\\s*(?:(${alt(g.type)})\\b)?`,
      captures: {
        1: { name: 'variable.other.property.field.sla' },
        2: { name: 'punctuation.separator.colon.sla' },
        3: { name: GROUPS.type[0] },
      },
    },
    // The names a declaration introduces.
    'declaration-name': {
      patterns: [
        {
          match: `${decl}\\b(calendar)\\s+(${IDENT})`,
          captures: { 1: { name: GROUPS.declaration[0] }, 2: { name: 'entity.name.type.calendar.sla' } },
        },
        {
          match: `${decl}\\b(metric|closure|availability)\\s+(${IDENT})`,
          captures: { 1: { name: GROUPS.declaration[0] }, 2: { name: 'entity.name.function.metric.sla' } },
        },
      ],
    },
    declaration: {
      // Only at the start of a line (or after a brace): elsewhere `priority`
      // and friends are ordinary names, e.g. `priority from priority`.
      match: `${decl}\\b(${alt(g.declaration)})\\b(?!\\s*:)`,
      captures: { 1: { name: GROUPS.declaration[0] } },
    },
    // `high x normal = critical`: a matrix cell, labels and a priority.
    'matrix-cell': {
      match: `\\b(${IDENT})\\s+(x)\\s+(${IDENT})\\s*(=)\\s*(${IDENT})\\b`,
      captures: {
        1: { name: 'variable.other.enummember.sla' },
        2: { name: 'keyword.operator.sla' },
        3: { name: 'variable.other.enummember.sla' },
        4: { name: 'keyword.operator.comparison.sla' },
        5: { name: 'variable.other.enummember.sla' },
      },
    },
    // `cause = customer`, `level = 1`, `status != closed`, `cause in [..]`,
    // `resolved_at is empty`: a field and a label, even when either is
    // spelled like a keyword.
    comparison: {
      patterns: [
        {
          match: `\\b(${IDENT})\\s*(!=|=)\\s*(?:(${IDENT})\\b)?`,
          captures: {
            1: { name: 'variable.other.field.sla' },
            2: { name: 'keyword.operator.comparison.sla' },
            3: { name: 'variable.other.enummember.sla' },
          },
        },
        {
          match: `\\b(${IDENT})(?=\\s+(?:in\\s*\\[|is\\b))`,
          captures: { 1: { name: 'variable.other.field.sla' } },
        },
      ],
    },
    number: {
      patterns: [
        { name: 'constant.numeric.date.sla', match: '\\b\\d{4}-\\d{2}-\\d{2}\\b' },
        { name: 'constant.numeric.time.sla', match: '\\b\\d{2}:\\d{2}\\b' },
        { name: 'constant.numeric.percentage.sla', match: '\\b\\d+(?:\\.\\d+)?%' },
        { name: 'constant.numeric.ordinal.sla', match: '\\b\\d+(?:st|nd|rd|th)\\b' },
        {
          // `4 hours`, `5 working days`, `12 months`
          match: `\\b(\\d+(?:\\.\\d+)?)\\s+(${alt(g.unit.filter((w) => w !== 'working')).replace(/\b(days?)\b/g, '(?:working\\s+)?$1')})\\b`,
          captures: { 1: { name: 'constant.numeric.duration.sla' }, 2: { name: GROUPS.unit[0] } },
        },
        { name: 'constant.numeric.sla', match: '\\b\\d+(?:\\.\\d+)?\\b' },
      ],
    },
    constant: {
      patterns: [
        { name: GROUPS.always[0], match: `(?<![\\w.])(?:${alt(g.always)})\\b` },
        { name: GROUPS.weekday[0], match: `\\b(?:${alt(g.weekday)})\\b` },
        { name: GROUPS.month[0], match: `\\b(?:${alt(g.month)})\\b` },
      ],
    },
    keyword: {
      patterns: ['modifier', 'logical', 'control', 'unit', 'keyword'].map((k) => ({
        name: GROUPS[k][0],
        match: `\\b(?:${alt(g[k])})\\b`,
      })),
    },
    operator: {
      patterns: [
        { name: 'keyword.operator.comparison.sla', match: '!=|=' },
        { name: 'keyword.operator.range.sla', match: '\\.\\.' },
        { name: 'keyword.operator.sign.sla', match: '[+-]' },
        { name: 'punctuation.separator.colon.sla', match: ':' },
        { name: 'punctuation.separator.comma.sla', match: ',' },
        { name: 'punctuation.section.braces.sla', match: '[{}]' },
        { name: 'punctuation.section.parens.sla', match: '[()]' },
      ],
    },
    identifier: { name: 'variable.other.sla', match: IDENT },
  };
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'SLA',
    scopeName: 'source.sla',
    fileTypes: ['sla'],
    comment: 'GENERATED by editors/gen-vocabulary.js from grammar/sla.pest: edit the script, not this file.',
    patterns: [
      'comment', 'string', 'value-list', 'field-declaration', 'declaration-name', 'declaration',
      'matrix-cell', 'comparison', 'number', 'constant', 'keyword', 'operator', 'identifier',
    ].map((r) => ({ include: `#${r}` })),
    repository,
  };
}

// ------------------------------------------------------------------ tree-sitter

const BEGIN = '; <vocabulary>';
const END = '; </vocabulary>';

function highlightsBlock(g) {
  const quote = (ws) => ws.map((w) => `"${w}"`);
  const wrap = (items, indent) => {
    const lines = [];
    let line = '';
    for (const it of items) {
      if (line && (line + ' ' + it).length > 72) { lines.push(line); line = ''; }
      line = line ? `${line} ${it}` : it;
    }
    if (line) lines.push(line);
    return lines.map((l) => indent + l).join('\n');
  };
  const out = [BEGIN, '; Generated by editors/gen-vocabulary.js from grammar/sla.pest; do not edit by hand.'];
  for (const [k, [, capture, what]] of Object.entries(GROUPS)) {
    if (!g[k].length) continue;
    out.push('', `; ${what}`);
    if (k === 'type') {
      // The field types are aliased to (builtin_type) nodes in grammar.js, since
      // `status` is also a keyword elsewhere; match them by their text.
      out.push(`((builtin_type) @${capture}`, ` (#any-of? @${capture}`, wrap(quote(g[k]), '  ') + '))');
    } else {
      out.push('[', wrap(quote(g[k]), '  '), `] @${capture}`);
    }
  }
  out.push(END);
  return out.join('\n');
}

// ------------------------------------------------------------------ main

function main() {
  const check = process.argv.includes('--check');
  const g = grouped(vocabulary(fs.readFileSync(PEST, 'utf8')));
  const tm = JSON.stringify(textMate(g), null, 2) + '\n';
  const hlOld = fs.readFileSync(HL_FILE, 'utf8');
  const b = hlOld.indexOf(BEGIN), e = hlOld.indexOf(END);
  if (b < 0 || e < b) throw new Error(`${HL_FILE}: markers ${BEGIN} ... ${END} not found`);
  const hl = hlOld.slice(0, b) + highlightsBlock(g) + hlOld.slice(e + END.length);
  const tmOld = fs.existsSync(TM_FILE) ? fs.readFileSync(TM_FILE, 'utf8') : '';
  let stale = 0;
  for (const [file, old, now] of [[TM_FILE, tmOld, tm], [HL_FILE, hlOld, hl]]) {
    if (old === now) continue;
    if (check) {
      console.error(`${path.relative(ROOT, file)} is out of date: run node editors/gen-vocabulary.js`);
      stale++;
    } else {
      fs.writeFileSync(file, now);
      console.log(`wrote ${path.relative(ROOT, file)}`);
    }
  }
  process.exit(stale ? 1 : 0);
}

main();
