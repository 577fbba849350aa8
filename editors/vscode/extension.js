// VS Code client of the sla language server: starts `sla lsp` (the binary
// named by the `sla.path` setting) on stdio for .sla files.
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
      `Could not start \`${command} lsp\` (set sla.path to the sla binary): ${err.message || err}`,
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
