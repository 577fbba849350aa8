/**
 * @file tree-sitter grammar for `.sla` service level agreements.
 *
 * It mirrors grammar/sla.pest, the one grammar of the language: the rule
 * names are the same where a rule makes a node (`opening`, `day_set`,
 * `target_row`, ...), and each section below follows the pest file's. Keep
 * the two in step; `editors/test.sh` parses every contract in contracts/ and
 * fails on any ERROR or MISSING node, and tests/editors_vocabulary.rs fails
 * when a keyword of the pest grammar is missing from queries/highlights.scm.
 *
 * Keywords are plain strings: with `word: $ => $.identifier` tree-sitter
 * lexes a keyword only where the grammar expects one, so, as in pest, a
 * field may be called `priority` or a label `open`.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const commaSep1 = (rule) => seq(rule, repeat(seq(',', rule)));

module.exports = grammar({
  name: 'sla',

  extras: ($) => [/[ \t\r\n\uFEFF]/, $.comment],

  word: ($) => $.identifier,

  conflicts: ($) => [
    // `high response within 2 hours medium ...`: after a target clause an
    // identifier either starts another clause of the row or the next row;
    // the token after it decides (pest backtracks the same way).
    [$.target_row],
  ],

  rules: {
    source_file: ($) => repeat($._item),

    _item: ($) => choice($._block, $.version),

    _block: ($) => choice(
      $.contract, $.calendar, $.fields, $.priority, $.metric, $.targets,
      $.objective, $.exclusion, $.closure, $.escalation, $.availability, $.changes,
      $.credits,
    ),

    // `version "2" from 2027-01-01 { ... }`: the blocks that change from that date.
    version: ($) => seq(
      'version', field('name', $.string), 'from', field('from', $.date),
      '{', repeat($._block), '}',
    ),

    // -------------------------------------------------------------- lexemes
    comment: (_) => token(seq('#', /[^\n]*/)),
    identifier: (_) => /[A-Za-z_][A-Za-z0-9_]*/,
    integer: (_) => /\d+/,
    number: (_) => /\d+(\.\d+)?/,
    percent: (_) => /\d+(\.\d+)?%/,
    string: ($) => seq(
      '"',
      repeat(choice(alias(token.immediate(prec(1, /[^"\\\n]+/)), $.string_content), $.escape_sequence)),
      token.immediate('"'),
    ),
    escape_sequence: (_) => token.immediate(/\\./),
    date: (_) => /\d{4}-\d{2}-\d{2}/,
    time: (_) => /\d{2}:\d{2}/,
    time_range: ($) => seq(
      field('start', $.time),
      token.immediate('-'),
      field('end', alias(token.immediate(/\d{2}:\d{2}/), $.time)),
    ),
    weekday: (_) => choice('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'),
    month: (_) => choice('jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'),
    ordinal: (_) => choice('last', /\d+(st|nd|rd|th)/),
    sign: (_) => choice('+', '-'),

    calendar_ref: ($) => choice('24x7', $.identifier),
    ident_list: ($) => commaSep1($.identifier),
    _value: ($) => choice($.integer, $.identifier, $.string),
    value_list: ($) => seq('[', optional(seq(commaSep1($._value), optional(','))), ']'),

    // -------------------------------------------------------------- contract header
    contract: ($) => seq('contract', field('name', $.string), '{', repeat($._header_item), '}'),
    _header_item: ($) => choice($.provider, $.customer, $.timezone, $.effective, $.term, $.renewal, $.notice, $.link, $.export),
    provider: ($) => seq('provider', $.string),
    customer: ($) => seq('customer', $.string),
    timezone: ($) => seq('timezone', $.string),
    effective: ($) => seq('effective', $.date),
    term: ($) => seq('term', $.months),
    renewal: ($) => seq('renews', choice('automatically', seq('every', $.months))),
    notice: ($) => seq('notice', $.months),
    link: ($) => seq('link', field('name', $.identifier), field('url', $.string)),
    export: ($) => seq('export', field('profile', $.identifier)),
    months: ($) => seq($.integer, $.month_unit),
    month_unit: (_) => choice('months', 'month', 'years', 'year'),

    // -------------------------------------------------------------- calendars
    calendar: ($) => seq('calendar', field('name', $.identifier), choice($.calendar_body, seq('=', $.complement), $.chosen_by)),
    complement: ($) => seq('outside', $.calendar_ref),
    // A calendar chosen per ticket by a field: `by region { us = new_york }`.
    chosen_by: ($) => seq('by', field('field', $.identifier), '{', repeat($.choice_row), '}'),
    choice_row: ($) => seq(choice($.value_list, $._value), '=', $.calendar_ref),
    calendar_body: ($) => seq('{', repeat(choice($.timezone, $.opening, $.closed, $.reopened)), '}'),
    opening: ($) => seq('open', $.day_set, commaSep1($.time_range)),
    day_set: ($) => commaSep1($.day_range),
    day_range: ($) => seq($.weekday, optional(seq('..', $.weekday))),
    closed: ($) => seq('closed', 'on', commaSep1($._day_rule)),
    reopened: ($) => seq('open', 'on', commaSep1($.date)),
    _day_rule: ($) => choice($.holiday_set, $.date, $.easter, $.nth_weekday, $.annual),
    // A country, optionally with a subdivision: `US`, `DE-BY`, `GB-SCT`.
    holiday_set: ($) =>
      seq('holidays', alias(/[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9]+)?/, $.identifier)),
    easter: ($) => seq('easter', optional(seq($.sign, $.integer))),
    nth_weekday: ($) =>
      seq($.ordinal, $.weekday, 'of', $.month, optional(seq($.sign, $.integer))),
    annual: ($) => seq($.month, $.integer, repeat($.moved), optional($.every_years)),
    // `if sat then dec 31`, `if sat or sun then next working day`.
    moved: ($) =>
      seq(
        'if',
        $.weekday,
        repeat(seq('or', $.weekday)),
        'then',
        choice(seq('next', 'working', 'day'), seq($.month, $.integer)),
      ),
    every_years: ($) => seq('in', 'years', 'divisible', 'by', $.integer),

    // -------------------------------------------------------------- ticket fields
    fields: ($) => seq('fields', '{', repeat($.field_decl), '}'),
    field_decl: ($) => seq(field('name', $.identifier), ':', field('type', $._field_type), repeat(choice('optional', $.column))),
    // The plain types are one node kind, (builtin_type): `status` is also a
    // keyword of `paused while status in [...]`, highlighted differently.
    _field_type: ($) => choice(
      ...['text', 'integer', 'timestamp', 'status'].map((t) => alias(t, $.builtin_type)),
      $.type_label,
    ),
    type_label: ($) => seq(alias('label', $.builtin_type), $.value_list),
    column: ($) => seq('from', $.string),

    // -------------------------------------------------------------- priorities
    priority: ($) => seq(
      'priority', 'from', field('field', $.identifier), optional(seq('x', field('field', $.identifier))),
      '{', repeat(choice($.matrix, $.priority_level)), '}',
    ),
    priority_level: ($) => seq(field('name', $.identifier), $.string),
    matrix: ($) => seq('matrix', '{', repeat($.matrix_cell), '}'),
    matrix_cell: ($) => seq($._value, 'x', $._value, '=', field('priority', $.identifier)),

    // -------------------------------------------------------------- metrics and closure
    metric: ($) => seq(
      'metric', field('name', $.identifier),
      'from', optional(field('each', 'each')), field('from', $.identifier),
      'to', choice($.earliest, seq(optional(field('repeat', choice('next', 'each'))), field('to', $.identifier))),
      repeat(choice($.metric_cal, $.pause, $.target_set, $.resolved_set, $.new_cycle)),
    ),
    // `to earliest of responded_at, called_at, status in [solved]`.
    earliest: ($) => seq('earliest', 'of', commaSep1(choice(field('to', $.identifier), $.status_stop))),
    status_stop: ($) => seq('status', 'in', $.value_list),
    metric_cal: ($) => seq('in', $.calendar_ref),
    pause: ($) => seq('paused', 'while', 'status', 'in', $.value_list),
    // Which instant's priority chooses the target when it changes.
    target_set: ($) => seq('target', 'set', 'at', field('at', choice('start', 'stop'))),
    // The statuses in which a ticket is resolved (a later one reopens it),
    // and a cycle with its own verdict per reopening.
    resolved_set: ($) => seq('resolved', 'while', 'status', 'in', $.value_list),
    new_cycle: ($) => seq('new', 'cycle', 'on', 'reopening'),
    closure: ($) => seq(
      'closure', field('name', $.identifier), '{',
      'confirmed', 'by', field('by', $.identifier),
      'automatically', $.span, 'after', field('after', $.identifier), '}',
    ),
    span: ($) => seq($.integer, $.span_unit),
    span_unit: (_) => choice('days', 'day', 'months', 'month'),

    // -------------------------------------------------------------- targets and objectives
    targets: ($) => seq('targets', optional($.first_match), optional($.per_period), '{', repeat($.target_row), '}'),
    // Rows tried in order, the first that holds wins.
    first_match: (_) => seq('first', 'match'),
    per_period: ($) => seq('per', $.period),
    period: (_) => choice('month', 'quarter', 'year'),
    target_row: ($) => seq($.selector, repeat1($.target_clause)),
    selector: ($) => choice('all', seq($.priority_set, optional($.when)), $.when),
    priority_set: ($) => choice(seq('[', $.ident_list, ']'), $.identifier),
    when: ($) => seq('when', $._condition),
    target_clause: ($) => seq(field('metric', $.identifier), $._target_spec, optional($.share)),
    _target_spec: ($) => choice($.within, $.by_next_day, $.untimed, $.not_applicable),
    within: ($) => seq('within', $.duration, optional($.in_calendar)),
    by_next_day: ($) => seq('by', 'end', 'of', 'next', 'working', 'day', optional($.in_calendar)),
    untimed: ($) => seq(choice('untimed', seq('best', 'effort')), optional($.string)),
    not_applicable: (_) => seq('not', 'applicable'),
    in_calendar: ($) => seq('in', $.calendar_ref),
    share: ($) => seq('for', $.percent),
    duration: ($) => seq($.number, $.duration_unit),
    duration_unit: (_) => choice(
      seq('working', choice('days', 'day')),
      'hours', 'hour', 'minutes', 'minute', 'days', 'day', 'months', 'month',
    ),

    objective: ($) => seq(
      'objective', field('name', $.string), field('metric', $.identifier), 'for', $.selector,
      'at', 'least', $.percent, optional($.per_period),
    ),

    // -------------------------------------------------------------- conditions
    _condition: ($) => choice($.or, $.and, $.negation, $._cond_atom),
    or: ($) => prec.left(1, seq($._condition, 'or', $._condition)),
    and: ($) => prec.left(2, seq($._condition, 'and', $._condition)),
    negation: ($) => prec(3, seq('not', $._condition)),
    _cond_atom: ($) => choice($.parenthesized, $.is_empty, $.in_list, $.compare, $.inside),
    parenthesized: ($) => seq('(', $._condition, ')'),
    in_list: ($) => seq(field('field', $.identifier), 'in', $.value_list),
    compare: ($) => seq(field('field', $.identifier), field('operator', choice('!=', '=')), $._value),
    is_empty: ($) => seq(field('field', $.identifier), 'is', 'empty'),
    inside: ($) => seq(field('field', $.identifier), choice('inside', 'outside'), $.calendar_ref),

    // -------------------------------------------------------------- exclusions
    exclusion: ($) => seq('exclude', optional(seq('from', $.ident_list)), 'when', $._condition, 'as', $.string),

    // -------------------------------------------------------------- escalation
    escalation: ($) => seq('escalation', '{', repeat(choice($.available, $.contact, $.level, $.carries, $.owner)), '}'),
    available: ($) => seq('available', $.calendar_ref),
    contact: ($) => seq('contact', field('name', $.identifier), $.string),
    level: ($) => seq('level', $.integer, $.string, optional(seq('on', commaSep1($._trigger)))),
    _trigger: ($) => choice($.used, $.breached, $._condition),
    breached: ($) => seq(field('metric', $.identifier), 'breached'),
    used: ($) => seq($.percent, 'of', field('metric', $.identifier), 'used'),
    carries: ($) => seq('carries', $.ident_list),
    owner: ($) => seq('owner', $.string),

    // -------------------------------------------------------------- availability
    availability: ($) => seq(
      'availability', field('name', $.identifier), optional($.per_period),
      '{', repeat(choice($.avail_window, $.max_interruptions, $.measured)), '}',
    ),
    avail_window: ($) => seq($.percent, choice('in', 'outside'), $.calendar_ref, repeat($.credit_tier)),
    credit_tier: ($) => seq('credit', $.percent, 'below', $.percent, optional(seq('but', 'at', 'least', $.percent))),
    max_interruptions: ($) => seq('at', 'most', $.integer, 'interruptions'),
    measured: ($) => seq('measured', 'every', $.duration),

    // -------------------------------------------------------------- change windows
    changes: ($) => seq('changes', '{', repeat(choice($.go_live, $.exception, $.lead_time)), '}'),
    go_live: ($) => seq('go', 'live', $.day_set, optional(commaSep1($.time_range))),
    exception: ($) => seq('by', 'exception', $.day_set, optional(commaSep1($.time_range))),
    lead_time: ($) => seq('lead', 'time', $.work_hours, ':', choice('agreed', commaSep1($.lead_weeks))),
    work_hours: ($) => seq(choice($.up_to, $.over, seq($.integer, 'to', $.integer)), 'hours'),
    up_to: ($) => seq('up', 'to', $.integer),
    over: ($) => seq('over', $.integer),
    lead_weeks: ($) => seq($.integer, '..', $.integer, 'weeks', 'at', field('load', $.identifier), 'load'),

    // -------------------------------------------------------------- service credits
    credits: ($) => seq('credits', '{', repeat(choice($.fee, $.missed_credit)), '}'),
    fee: ($) => seq('fee', $.money, optional($.per_period)),
    money: ($) => seq($.number, field('currency', $.identifier)),
    _credit_amount: ($) => choice($.percent, $.money),
    missed_credit: ($) => seq(
      $._credit_amount, 'for', 'each', 'missed', 'objective',
      optional(seq(optional(','), 'at', 'most', $._credit_amount, optional($.per_period))),
    ),
  },
});
