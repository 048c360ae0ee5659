/** Commands that configure Omni: API keys, a workspace policy from a template, and the model override. */
import * as vscode from 'vscode';
import { POLICY_PATH } from '../../core/policy/load';
import { displayName } from '../../core/policy/modelNames';
import { MAX_POLICY_SIZE } from '../../core/policy/parse';
import { isBlankPolicy, templates, templateText, type TemplateName } from '../../core/policy/templates';
import { isOnThisMachine, resolveProviderSettings } from '../../core/providers/config';
import type { ChatController } from '../chat/chatController';
import { workingEditor } from '../editorContext';
import { omniFileUri, unsavedDocument } from '../omniFiles';
import { showOpenFolderFirst } from '../openFolder';
import type { PolicyService } from '../policyService';
import { showUnusedProviderEntries } from '../providerService';
import type { ApiKeys } from '../secrets';
import { readSettings } from '../settings';

export interface SetupCommandDeps {
  keys: ApiKeys;
  policies: PolicyService;
  controller: ChatController;
  log: vscode.LogOutputChannel;
}

export function registerSetupCommands(deps: SetupCommandDeps): vscode.Disposable[] {
  const { keys, policies, controller, log } = deps;
  return [
    // A key the user no longer wants on this machine (revoked, shared by mistake) must be removable from here too,
    // also after its provider left the settings.
    vscode.commands.registerCommand('omni.removeApiKey', async (providerArg?: string) => {
      const { providers: config, rejectedProviders } = readSettings();
      const providers = resolveProviderSettings(config);
      let provider = providerArg;
      if (!provider) {
        const stored = await keys.stored([...providers.keys(), ...Object.keys(rejectedProviders)]);
        if (stored.length === 0) {
          void vscode.window.showInformationMessage('Omni: no API key is stored in VS Code; keys in environment variables are not Omni\'s to remove.');
          return false;
        }
        const items = stored.map((name) => {
          const label = providers.get(name)?.label ?? name;
          return { label, description: providers.has(name) ? nameUnlessLabel(name, label) : 'no longer in the "omni.providers" user setting', name };
        });
        provider = (await vscode.window.showQuickPick(items, { title: 'Omni: Remove API Key', placeHolder: 'Whose key should go?' }))?.name;
      }
      if (!provider) return false;
      await keys.remove(provider);
      const fallback = providers.get(provider)?.apiKeyEnv;
      log.info(`API key removed for provider ${provider}`);
      void vscode.window.showInformationMessage(`Omni: key removed for ${providers.get(provider)?.label ?? provider}.${fallback ? ` Requests to it now use ${fallback} if it is set.` : ''}`);
      return true;
    }),
    // Arguments let scripts and tests set a key without the input box.
    vscode.commands.registerCommand('omni.setApiKey', async (providerArg?: string, keyArg?: string) => {
      const { providers: config, rejectedProviders } = readSettings();
      if (providerArg && rejectedProviders[providerArg]) {
        // The built-in of that name is not used in its place, so its address would be the wrong one to promise.
        showUnusedProviderEntries({ [providerArg]: rejectedProviders[providerArg] });
        return false;
      }
      const providers = resolveProviderSettings(config);
      for (const name of Object.keys(rejectedProviders)) providers.delete(name);
      // Every provider that may want a key: one that names its variable, and any not on this machine (a gateway
      // whose entry has no apiKeyEnv still sends a stored key). Local servers without a variable take none.
      const withKeys = [...providers.values()].filter((p) => p.apiKeyEnv || !isOnThisMachine(p.baseURL));
      const provider =
        providerArg ??
        (
          await vscode.window.showQuickPick(
            withKeys.map((p) => ({ label: p.label, description: nameUnlessLabel(p.name, p.label), detail: p.apiKeyEnv ? `or set ${p.apiKeyEnv}` : undefined, name: p.name })),
            { title: 'Omni: Set API Key', placeHolder: 'Which provider is the key for?' },
          )
        )?.name;
      if (!provider) return false;
      const settings = providers.get(provider);
      if (!settings) {
        void vscode.window.showErrorMessage(`Omni: no provider "${provider}". Add it to the "omni.providers" user setting first.`);
        return false;
      }
      const key =
        keyArg ??
        (await vscode.window.showInputBox({
          title: `Omni: API key for ${settings.label}`,
          prompt: `Stored in VS Code's secret storage (your OS keyring) and sent only to ${settings.baseURL}.`,
          password: true,
          ignoreFocusOut: true,
          validateInput: (value) => (value.trim() ? undefined : 'The key cannot be empty'),
        }));
      if (!key?.trim()) return false;
      try {
        await keys.store(provider, key.trim(), settings.apiKeyEnv);
        log.info(`API key stored for provider ${provider}`);
        void vscode.window.showInformationMessage(`Omni: key saved for ${settings.label}.`);
        return true;
      } catch (error) {
        void vscode.window.showErrorMessage(`Omni: ${(error as Error).message}`);
        return false;
      }
    }),

    // `folderArg`: the workspace folder whose policy to create, when the caller knows it (a request's folder).
    vscode.commands.registerCommand('omni.createPolicy', async (templateArg?: TemplateName, folderArg?: vscode.Uri) => {
      const folders = vscode.workspace.workspaceFolders ?? [];
      if (folders.length === 0) {
        showOpenFolderFirst('Omni: open a folder first; the policy lives in its .omni/policies.json.');
        return undefined;
      }
      // Each folder of a multi-root workspace has its own policy: ask which one.
      const folder =
        (folderArg && vscode.workspace.getWorkspaceFolder(folderArg)) ??
        (folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Create the policy of which folder?' }));
      if (!folder) return undefined;
      const target = omniFileUri(folder.uri, POLICY_PATH);
      const stat = await vscode.workspace.fs.stat(target).then(
        (found) => found,
        () => undefined,
      );
      if (stat && stat.type & vscode.FileType.Directory) {
        // Writing would fail with a bare EISDIR; the policy notice already points here.
        void vscode.window.showErrorMessage(`Omni: ${vscode.workspace.asRelativePath(target)} is a folder, where the policy file belongs; move or remove it, then run "Omni: Create Policy" again.`);
        return undefined;
      }
      // An empty file is filled: "the file is empty" tells the user to run this command. Unsaved text is the user's.
      // A file over the size limit is no blank one, and is not read to find that out.
      const blank = stat && stat.size <= MAX_POLICY_SIZE && isBlankPolicy(new TextDecoder().decode(await vscode.workspace.fs.readFile(target))) && !unsavedDocument(target);
      if (!stat || blank) {
        const template =
          templateArg ??
          (
            await vscode.window.showQuickPick(
              (Object.keys(templates) as TemplateName[]).map((name) => ({ label: templates[name].label, name })),
              { title: 'Omni: Create Policy', placeHolder: 'Start from which template?' },
            )
          )?.name;
        if (!template) return undefined;
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(templateText(template)));
        log.info(`created ${POLICY_PATH} from the ${template} template`);
      } else {
        void vscode.window.showInformationMessage(`Omni: ${vscode.workspace.asRelativePath(target)} already exists, so it is opened as it is.`);
      }
      await vscode.window.showTextDocument(target);
      return target;
    }),

    vscode.commands.registerCommand('omni.chooseModel', async (modelArg?: string | null) => {
      let model = modelArg;
      if (model === undefined) {
        const { policy } = policies.current(workingEditor()?.document.uri);
        const current = (alias: string | null) => (alias === controller.modelOverride ? ' · current choice' : '');
        const items = [
          { label: 'Auto (routed)', description: `the router picks per request${current(null)}`, alias: null as string | null },
          ...Object.entries(policy.models).map(([alias, entry]) => ({
            label: displayName(policy, alias),
            description: `${alias} · ${entry.provider}${current(alias)}`,
            alias: alias as string | null,
          })),
        ];
        const picked = await vscode.window.showQuickPick(items, { title: 'Omni: Choose Model for this conversation' });
        if (!picked) return controller.modelOverride;
        model = picked.alias;
      }
      controller.chooseModel(model);
      return controller.modelOverride;
    }),
  ];
}

/** A provider's name beside its label ("Hugging Face huggingface"); a provider of the user's own is labelled by its name. */
function nameUnlessLabel(name: string, label: string): string | undefined {
  return label === name ? undefined : name;
}
