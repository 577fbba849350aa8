// VS Code client of the sla language server: starts `sla lsp --stdio` (the
// binary named by the `sla.path` setting) for .sla files. TransportKind.stdio
// makes the client append `--stdio`, as every LSP client may; `sla lsp`
// accepts it (editors/vscode/test/client/run.js runs this file for real).
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('sla').get('path') || 'sla';
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient(
    'sla',
    'SLA language server',
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: 'file', language: 'sla' }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.sla') },
    },
  );
  client.start().catch((err) => {
    vscode.window.showErrorMessage(
      `Could not start \`${command} lsp --stdio\`: ${err.message || err}. ` +
        'The server\'s own words are in the "SLA language server" output panel; ' +
        'if the sla binary is not on PATH, set sla.path to it.',
    );
  });
  // A changed sla.path takes effect on the next start of VS Code: say so.
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('sla.path')) {
        vscode.window.showInformationMessage('sla.path changed: reload the window to restart the language server.');
      }
    }),
  );
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
