// Starts `podlint server` for YAML and JSON files; diagnostics, quick fixes, hover and
// completion all come from the server.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate() {
  const config = vscode.workspace.getConfiguration('podlint');
  const command = config.get('path') || 'podlint';
  const serverOptions = { command, args: ['server'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', language: 'json' },
    ],
    // Empty settings are left out, so that `.podlint.yaml` decides.
    initializationOptions: {
      kubernetesVersion: config.get('kubernetesVersion') || undefined,
      podSecurity: config.get('podSecurity') || undefined,
    },
  };
  client = new LanguageClient('podlint', 'podlint', serverOptions, clientOptions);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
