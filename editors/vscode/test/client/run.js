// The VS Code extension, run as VS Code runs it: its own activate() with the
// real vscode-languageclient (from package-lock.json) starting the real
// `sla lsp`, the editor played by ./vscode-stub.js. One whole conversation:
// the handshake, diagnostics after an edit, hover, definition, formatting,
// shutdown. Exits 1 with the reason on the first failure.
//
//   node test/client/run.js [path/to/sla]    (default: sla on PATH)
'use strict';

const assert = require('assert/strict');
const childProcess = require('child_process');
const fs = require('fs');
const Module = require('module');
const path = require('path');

const stubPath = path.join(__dirname, 'vscode-stub.js');
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  return originalLoad.call(this, request === 'vscode' ? stubPath : request, parent, isMain);
};
const vscode = require('vscode');
const t = vscode.__test;

// Watch the server process the client spawns, to see how it ends.
const children = [];
const originalSpawn = childProcess.spawn;
childProcess.spawn = function spawn(...args) {
  const child = originalSpawn.apply(this, args);
  const record = { args: args.slice(0, 2), exit: null };
  child.on('exit', (code, signal) => (record.exit = { code, signal }));
  children.push(record);
  return child;
};

const ROOT = path.resolve(__dirname, '../../../..');
const SLA = process.argv[2] || 'sla';
const TIMEOUT_MS = 20000;

/** Wait until `probe()` returns a truthy value; fail with `what` after the deadline. */
async function until(what, probe) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const v = probe();
    if (v) return v;
    const shown = t.messages.find((m) => m.level === 'error');
    if (shown) throw new Error(`while waiting for ${what}, the extension showed: ${shown.text}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function provider(kind) {
  const p = t.providers.find((e) => e.kind === kind);
  assert.ok(p, `the client registered no ${kind} provider`);
  return p.provider;
}

const token = () => new vscode.CancellationTokenSource().token;

/** The (line, character) of the first `needle` after `anchor` in `text`. */
function positionOf(text, anchor, needle) {
  const at = text.indexOf(needle, text.indexOf(anchor));
  assert.ok(at >= 0, `${needle} after ${anchor}`);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, at - (before.lastIndexOf('\n') + 1));
}

/** Diagnostics the client has put in VS Code for `uri`, once they satisfy `ok`. */
function diagnosticsFor(uri, ok) {
  return until(`diagnostics for ${uri}`, () => {
    for (const c of t.collections) {
      const d = c.get(uri);
      if (d && ok(d)) return d;
    }
    return undefined;
  });
}

/** Apply VS Code TextEdits (non-overlapping) to a document's text. */
function applyEdits(doc, edits) {
  const sorted = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
  let text = doc.getText();
  for (const e of sorted) {
    text = text.slice(0, doc.offsetAt(e.range.start)) + e.newText + text.slice(doc.offsetAt(e.range.end));
  }
  return text;
}

async function main() {
  t.settings['sla.path'] = SLA;
  const extension = require('../../extension.js');
  const context = { subscriptions: [], extensionPath: path.join(__dirname, '../..') };

  // The handshake: activate() starts the client, which spawns `sla lsp`,
  // sends `initialize` and registers a provider per server capability.
  extension.activate(context);
  await until('the language client to start (a hover provider registered)', () =>
    t.providers.find((p) => p.kind === 'Hover'),
  );
  assert.equal(children.length, 1, 'one server process');
  console.log(`started: ${children[0].args[0]} ${children[0].args[1].join(' ')}`);

  // Open care.sla as VS Code does on opening the file.
  const file = path.join(ROOT, 'contracts/care.sla');
  const care = fs.readFileSync(file, 'utf8');
  const doc = new t.TextDocument(vscode.Uri.file(file), 'sla', care);
  t.textDocuments.push(doc);
  t.events.open.fire(doc);
  const clean = await diagnosticsFor(doc.uri, () => true);
  assert.deepEqual(clean, [], 'care.sla as shipped is clean');

  // The user misspells the calendar of the response metric: `office` -> `ofice`.
  const at = positionOf(care, 'metric response', 'office');
  const range = new vscode.Range(at, new vscode.Position(at.line, at.character + 6));
  const before = doc.getText();
  doc._text = before.slice(0, doc.offsetAt(range.start)) + 'ofice' + before.slice(doc.offsetAt(range.end));
  doc.version = 2;
  t.events.change.fire({
    document: doc,
    reason: undefined,
    contentChanges: [{ range, rangeOffset: doc.offsetAt(range.start), rangeLength: 6, text: 'ofice' }],
  });
  const broken = await diagnosticsFor(doc.uri, (d) => d.length > 0);
  assert.equal(broken.length, 1, `one diagnostic: ${JSON.stringify(broken)}`);
  assert.equal(broken[0].severity, vscode.DiagnosticSeverity.Error);
  assert.match(broken[0].message, /ofice/);
  assert.match(broken[0].message, /office/, 'the message suggests the declared calendar');
  assert.deepEqual([broken[0].range.start.line, broken[0].range.start.character], [at.line, at.character]);
  console.log(`diagnostic after the edit: ${broken[0].code && (broken[0].code.value || broken[0].code)} ${broken[0].message}`);

  // Undo the typo: the diagnostics clear.
  doc._text = before;
  doc.version = 3;
  t.events.change.fire({
    document: doc,
    reason: undefined,
    contentChanges: [
      {
        range: new vscode.Range(at, new vscode.Position(at.line, at.character + 5)),
        rangeOffset: doc.offsetAt(at),
        rangeLength: 5,
        text: 'office',
      },
    ],
  });
  await diagnosticsFor(doc.uri, (d) => d.length === 0);

  // Hover on the calendar name in `metric resolution ... in office`.
  const ref = positionOf(care, 'metric resolution', 'office');
  const hover = await provider('Hover').provideHover(doc, ref, token());
  assert.ok(hover, 'a hover');
  const shown = hover.contents.map((c) => c.value || c).join('\n');
  assert.match(shown, /calendar/i);
  assert.match(shown, /office/);
  console.log(`hover: ${shown.split('\n')[0]}`);

  // Semantic tokens: the client asks and decodes them; the reference
  // `office` in `metric resolution ... in office` is a `type` token (a
  // calendar), as tree-sitter colours it.
  const st = await provider('DocumentSemanticTokens').provideDocumentSemanticTokens(doc, token());
  const legend = t.providers.find((p) => p.kind === 'DocumentSemanticTokens').extra[0];
  let line = 0;
  let col = 0;
  let found;
  for (let i = 0; i < st.data.length; i += 5) {
    line += st.data[i];
    col = st.data[i] ? st.data[i + 1] : col + st.data[i + 1];
    if (line === ref.line && col === ref.character) found = legend.tokenTypes[st.data[i + 3]];
  }
  assert.equal(found, 'type', 'the calendar reference is a type token');

  // Definition of that reference: the calendar's name on line 13.
  const def = await provider('Definition').provideDefinition(doc, ref, token());
  const loc = Array.isArray(def) ? def[0] : def;
  assert.ok(loc, 'a definition');
  const target = loc.targetRange || loc.range;
  assert.equal((loc.targetUri || loc.uri).toString(), doc.uri.toString());
  // `calendar office {` is line 13 of care.sla (0-based 12), `office` at column 9.
  assert.deepEqual([target.start.line, target.start.character], [12, 9]);

  // Formatting: care.sla with its layout wrecked formats back to itself
  // (care.sla is kept in the canonical layout: `sla fmt --check` in tests/fmt.rs).
  const wrecked = care.replace('  open mon..fri 09:00-17:00', 'open    mon..fri 09:00-17:00');
  assert.notEqual(wrecked, care);
  // VS Code reports every change with its range: here, the whole text.
  const whole = new vscode.Range(new vscode.Position(0, 0), doc.positionAt(doc.getText().length));
  const oldLength = doc.getText().length;
  doc._text = wrecked;
  doc.version = 4;
  t.events.change.fire({
    document: doc,
    reason: undefined,
    contentChanges: [{ range: whole, rangeOffset: 0, rangeLength: oldLength, text: wrecked }],
  });
  const edits = await provider('DocumentFormattingEdit').provideDocumentFormattingEdits(
    doc,
    { tabSize: 2, insertSpaces: true },
    token(),
  );
  assert.ok(edits && edits.length > 0, 'formatting edits');
  assert.equal(applyEdits(doc, edits), care);

  // Shutdown: deactivate() stops the client, which sends `shutdown` and
  // `exit`; the server exits 0.
  await extension.deactivate();
  await until('the server to exit', () => children[0].exit);
  assert.deepEqual(children[0].exit, { code: 0, signal: null }, 'sla lsp exit status');
  console.log('vscode client: handshake, diagnostics, hover, definition, formatting, shutdown: ok');
}

// A rejection nobody handles (the client losing its server, say) fails the
// test with the reason rather than a bare stack.
process.on('unhandledRejection', (err) => {
  console.error(`vscode client test FAILED: unhandled rejection: ${err && (err.message || err)}`);
  const shown = t.messages.map((m) => `${m.level}: ${m.text}`).join('\n');
  if (shown) console.error(`the extension showed:\n${shown}`);
  for (const o of t.outputs) if (o.text) console.error(`--- output channel ${o.name}:\n${o.text}`);
  process.exit(1);
});

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`vscode client test FAILED: ${err.stack || err}`);
    for (const o of t.outputs) if (o.text) console.error(`--- output channel ${o.name}:\n${o.text}`);
    process.exit(1);
  },
);
