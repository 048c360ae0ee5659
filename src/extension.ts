// Wires Omni's adapters into VS Code. Each adapter owns its disposables; nothing else happens here.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ChatController } from './vscode/chat/chatController';
import { ChatViews } from './vscode/chat/chatViews';
import { ConversationStore } from './vscode/chat/conversationStore';
import { editorContext, trackWorkingEditor, workingEditor } from './vscode/editorContext';
import { codeActions, registerSelectionCommands } from './vscode/commands/selectionCommands';
import { registerSetupCommands } from './vscode/commands/setupCommands';
import { PolicyService } from './vscode/policyService';
import { registerPolicyQuickFixes } from './vscode/policyQuickFix';
import { ProviderService } from './vscode/providerService';
import { ProposalPreview } from './vscode/refactor/proposalPreview';
import { RoutingExamples, runRoutingExamplesCommand } from './vscode/routingExamples';
import { saveRoutingExample } from './vscode/saveRoutingExample';
import { ApiKeys } from './vscode/secrets';
import { SettingsReporter } from './vscode/settings';
import { RouteStatusBar } from './vscode/statusBar';

export function activate(context: vscode.ExtensionContext) {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Omni', { log: true });
  const settings = new SettingsReporter(log);
  const keys = new ApiKeys(context.secrets, context.globalState);
  const providers = new ProviderService(keys, log);
  const policies = new PolicyService(log, providers);
  const preview = new ProposalPreview();
  const statusBar = new RouteStatusBar();
  // Per workspace when a folder is open, so each project keeps its own history.
  const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
  const store = new ConversationStore(join(storage, 'conversations'), (file, reason) => log.warn(`skipped unreadable conversation ${file}: ${reason}`));
  const answerCodeActions = codeActions(preview);
  const controller = new ChatController({
    policies,
    store,
    providers,
    log,
    workspaceState: context.workspaceState,
    codeActions: answerCodeActions,
    // `views` needs the controller; by the time a picker closes, both exist.
    refocus: (): Promise<void> => views.reveal(),
  });
  const views = new ChatViews(context.extensionUri, controller);
  const examples = new RoutingExamples(policies, providers);

  // The policy that routes the file the user works in: its folder's, in a multi-root workspace.
  const showPolicyState = () => statusBar.showPolicyState(policies.current(workingEditor()?.document.uri));
  context.subscriptions.push(
    trackWorkingEditor(),
    log,
    settings,
    policies,
    providers,
    preview,
    statusBar,
    controller,
    views,
    examples,
    controller.onDidDecide(({ route, model, policy }) => statusBar.show(route, model, policy)),
    registerPolicyQuickFixes(),
    policies.onDidChange(showPolicyState),
    vscode.window.onDidChangeActiveTextEditor(showPolicyState),
    vscode.commands.registerCommand('omni.showRoutingLog', () => log.show(true)),
    vscode.commands.registerCommand('omni.runRoutingExamples', () => runRoutingExamplesCommand(examples, 'local')),
    vscode.commands.registerCommand('omni.runRoutingExamplesAsPolicy', () => runRoutingExamplesCommand(examples, 'policy')),
    vscode.commands.registerCommand('omni.saveRoutingExample', (requestId?: unknown, route?: unknown) =>
      saveRoutingExample({ controller, policies }, typeof requestId === 'string' ? requestId : undefined, typeof route === 'string' ? route : undefined),
    ),
    vscode.commands.registerCommand('omni.openChat', () => views.reveal({ focusComposer: true })),
    vscode.commands.registerCommand('omni.openChatInEditor', () => views.openInEditor()),
    vscode.commands.registerCommand('omni.newChat', async () => {
      controller.newChat();
      await views.reveal({ focusComposer: true });
    }),
    ...registerSelectionCommands({ controller, views, preview }),
    ...registerSetupCommands({ keys, policies, controller, log }),
  );

  // Reading the policy and the last conversation happens in the background: requests and views wait for it,
  // activation (which runs when VS Code starts in a workspace with a policy) does not.
  void policies.reloadAll();
  void controller.restore();
  const activationMs = Math.round(performance.now() - started);
  log.info(`Omni activated in ${activationMs} ms`);
  return api(controller, store, policies, answerCodeActions, activationMs);
}

/** What other extensions (and the extension-host tests) may call: ask or retry in the chat, list saved conversations. */
function api(controller: ChatController, store: ConversationStore, policies: PolicyService, answerCodeActions: ReturnType<typeof codeActions>, activationMs: number) {
  return {
    activationMs,
    /** What an answer's Copy / Insert / Apply button does, as the chat asks for it; resolves to what the user is told. */
    codeAction: answerCodeActions,
    /** Sends `prompt` to the chat as if typed, with the active editor as context; resolves when answered. */
    ask: (prompt: string) => {
      const editor = workingEditor();
      return controller.ask({ display: prompt, prompt, editor: editorContext('chat', false, editor), resource: editor?.document.uri });
    },
    /** What an answer's Retry with… does: asks its request again on `model` (a policy alias); resolves when answered. */
    retry: (retryOf: string, model: string) => controller.retry(retryOf, model),
    conversations: () => store.summaries(),
    conversation: (id: string) => store.get(id),
    sessionTotals: () => controller.sessionTotals(),
    /** Fires each time Omni applies a workspace policy anew (read after a change, deleted) or what it says of one changes. */
    onDidChangePolicy: policies.onDidChange,
  };
}

export type OmniApi = ReturnType<typeof api>;

export function deactivate(): void {}
