/**
 * The chat's host side: one active conversation per window, shown in every attached webview (the sidebar view and
 * the editor panel), with requests that can be stopped, retried on another model, and persisted per workspace.
 */
import * as vscode from 'vscode';
import { createCircuitBreaker } from '../../core/engine/circuitBreaker';
import { createSessionLedger, type SessionLedger, type SessionTotals } from '../../core/engine/ledger';
import { displayName } from '../../core/policy/modelNames';
import type { Policy } from '../../core/policy/schema';
import type { ChatMessage, EditorContext, OmniRequest } from '../../core/request';
import { buildRouter } from '../../core/router';
import { withStickiness } from '../../core/router/sticky';
import type { Router } from '../../core/router/types';
import { isOpenableHref, parseWebviewMessage, type AssistantTurn, type DecisionTag, type HostMessage, type SetupLines, type WebviewMessage, type WebviewMessageOf } from '../../protocol/messages';
import { editorContext, workingEditor } from '../editorContext';
import type { ActivePolicy, PolicyService } from '../policyService';
import type { ProviderService } from '../providerService';
import { localOnlyElsewhere } from '../privateFiles';
import { readSettings } from '../settings';
import { runAnswer } from './answerRunner';
import { askedFiles, messagesOf, titleFrom, type Conversation, type ConversationStore, type RoutingInput, type Turn } from './conversationStore';
import { HistoryPages } from './historyPages';

const ACTIVE_KEY = 'omni.activeConversation';
/** History lists this many more at a time; the whole list in every update would make each a large message. */
const HISTORY_BATCH = 200;
/** How often an answer that is streaming is saved: a reload or a closed window takes the extension host with it. */
const STREAMING_SAVE_MS = 1000;

export interface ChatControllerDeps {
  policies: PolicyService;
  store: ConversationStore;
  providers: ProviderService;
  log: vscode.LogOutputChannel;
  workspaceState: vscode.Memento;
  /** Code actions from answers (copy, insert, apply) are the editor's business; each says what it did. */
  codeActions: (message: WebviewMessageOf<'copy' | 'insertAtCursor' | 'applyToSelection'>) => Promise<string>;
  /** Gives the chat focus again after a picker the chat opened (Save as Routing Example) took it. */
  refocus: () => Promise<void>;
}

/** A request started by a command rather than typed in the chat. */
export interface HostRequest {
  /** What the transcript shows as the user's turn. */
  display: string;
  /** What the model receives as the user's turn (may add context the transcript does not show). */
  prompt: string;
  editor: EditorContext;
  /** The document `editor` was read from: its folder's policy routes the request, whatever the user opens meanwhile. */
  resource?: vscode.Uri;
}

/** How a request ended: `ok` when a model answered; `incomplete` says why that answer may be cut short. */
export interface AskResult {
  requestId: string;
  text: string;
  ok: boolean;
  incomplete?: string;
}

/** A request asked again on another model (Retry with…), as it starts. */
export interface RetryStarted {
  retryOf: string;
  requestId: string;
  /** What the retry is asked with, as the first request was: its command, file and selection. */
  editor: EditorContext;
  answered: Promise<AskResult>;
}

export class ChatController implements vscode.Disposable {
  private readonly webviews = new Set<vscode.Webview>();
  /** Answers in progress: how to stop each, and when it has ended and been saved. */
  private readonly running = new Map<string, { controller: AbortController; ended: Promise<void> }>();
  /** Conversations the user deleted in this session. */
  private readonly deleted = new Set<string>();
  private readonly breaker = createCircuitBreaker();
  private readonly historyPages = new HistoryPages<vscode.Webview>(HISTORY_BATCH);
  /** Who is answering, as routing and failover go; `model` undefined when in the end no model answered. */
  private readonly decided = new vscode.EventEmitter<{ route: string; model: string | undefined; policy?: string }>();
  /** Fires when routing picked a model (the status bar listens). */
  readonly onDidDecide = this.decided.event;
  private readonly retried = new vscode.EventEmitter<RetryStarted>();
  /** Fires when Retry with… starts a request (Refactor Selection opens the retried answer's proposal). */
  readonly onDidRetry = this.retried.event;
  private conversation: Conversation;
  private routers = new WeakMap<Policy, Router>();
  /** One per window: editing the policy does not reset the session's totals. */
  private readonly ledger: SessionLedger = createSessionLedger();
  private readonly disposables: vscode.Disposable[] = [this.decided, this.retried];

  constructor(private readonly deps: ChatControllerDeps) {
    this.conversation = deps.store.create();
    this.disposables.push(
      // A router keeps the Arch-Router client it made from a provider, so new providers need new routers.
      deps.providers.onDidChange(() => {
        this.routers = new WeakMap();
      }),
      deps.policies.onDidChange(() => {
        this.postBanner(this.deps.policies.current(this.activeResource()));
        void this.broadcastModels();
        // An edit may change the baseline model or its price, which every answer so far is compared with.
        this.postTotals();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.followWorkingFolder()),
      // Open chat views follow the setting from the next answer on, without being reopened.
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('omni.showReasoning')) this.postConfig();
      }),
    );
  }

  /** The workspace folder whose policy the views show (see followWorkingFolder). */
  private shownFolder?: string;
  private restored: Promise<void> = Promise.resolve();
  /** Set once the user picks a conversation, so a slow restore does not replace it. */
  private chosen = false;

  /** Reopens, in the background, the conversation that was active before a window reload. */
  restore(): Promise<void> {
    const id = this.deps.workspaceState.get<string>(ACTIVE_KEY);
    this.restored = (async () => {
      const saved = id ? await this.deps.store.get(id) : undefined;
      if (saved && !this.chosen) this.conversation = saved;
    })();
    return this.restored;
  }

  /** Connects a webview; its messages are validated before anything acts on them. */
  attach(webview: vscode.Webview): vscode.Disposable {
    this.webviews.add(webview);
    const listener = webview.onDidReceiveMessage((data: unknown) => {
      const parsed = parseWebviewMessage(data);
      if (!parsed.ok) {
        this.deps.log.warn(`ignored a message from the chat view: ${parsed.error}`);
        return;
      }
      Promise.resolve(this.handle(parsed.message, webview)).catch((error: unknown) => this.deps.log.error(`chat: ${String(error)}`));
    });
    return new vscode.Disposable(() => {
      listener.dispose();
      this.webviews.delete(webview);
    });
  }

  /** Starts a request from a command (Explain, Refactor); resolves with the answer text when it finishes. */
  async ask(request: HostRequest): Promise<AskResult> {
    return this.run(hostRequestId(), request.display, request.prompt, request.editor, { resource: request.resource });
  }

  /**
   * Asks the request that answer `retryOf` answered again on `model`, as that answer's Retry with… does; resolves
   * when the new answer finishes, or at once with undefined when the conversation has no such answer.
   */
  async retry(retryOf: string, model: string, requestId = hostRequestId()): Promise<AskResult | undefined> {
    const { turns, routedOn } = this.conversation;
    const index = turns.findIndex((turn) => turn.role === 'assistant' && turn.requestId === retryOf);
    const [asked, retried] = index > 0 ? [turns[index - 1], turns[index]] : [];
    if (asked?.role !== 'user' || retried?.role !== 'assistant') return undefined;
    // The same request again: Explain's prompt and selected code, not the short line the chat shows for it.
    const sent = routedOn?.[retryOf];
    const editor = sent ? { languageId: sent.languageId, fileName: sent.fileName, selection: sent.selection, command: sent.command } : editorContext('chat', false);
    // The same request on another model: its route stays, and it is asked as it was first asked, after the turns
    // before it, not after the answer it replaces or what followed.
    const retry = { model, route: retried.tag?.route, earlier: turns.slice(0, index - 1), folder: sent?.folder };
    const answered = this.run(requestId, asked.text, sent?.prompt ?? asked.text, editor, { resource: this.activeResource(), retry });
    this.retried.fire({ retryOf, requestId, editor, answered });
    return answered;
  }

  /** Whether an answer is streaming in the chat now. */
  get busy(): boolean {
    return this.running.size > 0;
  }

  newChat(): void {
    this.chosen = true;
    this.stopAll();
    this.conversation = this.deps.store.create();
    void this.deps.workspaceState.update(ACTIVE_KEY, undefined);
    void this.sendState();
  }

  /** The model choice for the active conversation; null returns to routing. */
  chooseModel(model: string | null): void {
    this.conversation.modelOverride = model;
    void this.broadcastModels();
    if (this.conversation.turns.length > 0) void this.persist();
  }

  get modelOverride(): string | null {
    return this.conversation.modelOverride;
  }

  /**
   * An answer of the active conversation with what it was routed on and where it went: `requestId`'s, or the
   * latest routed one. Undefined when there is none; `input` is missing for answers saved before Omni kept it.
   * `history` holds the turns before the answer's request, as the router received them.
   */
  routedAnswer(requestId?: string): { requestId: string; input?: RoutingInput; history: ChatMessage[]; tag: DecisionTag } | undefined {
    const { turns } = this.conversation;
    for (let index = turns.length - 1; index >= 0; index--) {
      const turn = turns[index];
      if (turn.role !== 'assistant' || !turn.tag || (requestId !== undefined && turn.requestId !== requestId)) continue;
      const input = this.conversation.routedOn?.[turn.requestId];
      // The answer's own request is the user turn right before it; a retry was asked after fewer turns.
      const history = messagesOf(turns.slice(0, input?.earlierTurns ?? Math.max(0, index - 1)), this.conversation.routedOn);
      return { requestId: turn.requestId, input, history, tag: turn.tag };
    }
    return undefined;
  }

  dispose(): void {
    this.stopAll();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private readonly handlers: { [T in WebviewMessage['type']]: (message: WebviewMessageOf<T>, from: vscode.Webview) => Promise<void> | void } = {
    ready: (_message, from) => this.sendState(from),
    send: (message) => {
      const editor = workingEditor();
      void this.run(message.requestId, message.text, message.text, editorContext('chat', false, editor), { resource: editor?.document.uri });
    },
    stop: (message) => this.running.get(message.requestId)?.controller.abort(),
    retryWith: (message) => void this.retry(message.retryOf, message.model, message.requestId),
    copy: async (message, from) => this.post({ type: 'notice', text: await this.deps.codeActions(message) }, from),
    insertAtCursor: async (message, from) => this.post({ type: 'notice', text: await this.deps.codeActions(message) }, from),
    applyToSelection: async (message, from) => this.post({ type: 'notice', text: await this.deps.codeActions(message) }, from),
    openLink: async (message) => {
      // openExternal shows VS Code's own confirmation with the full target; only http(s) gets that far.
      if (isOpenableHref(message.href)) await vscode.env.openExternal(vscode.Uri.parse(message.href, true));
      else this.deps.log.warn(`refused to open a link that is not http(s): ${message.href.slice(0, 200)}`);
    },
    newChat: () => this.newChat(),
    openConversation: async (message) => {
      // The conversation on screen: reading it back from disk would stop its answer and show the copy saved before it.
      if (message.conversationId === this.conversation.id) return this.sendState();
      const saved = await this.deps.store.get(message.conversationId);
      if (!saved) return;
      this.chosen = true;
      this.stopAll();
      this.conversation = saved;
      await this.deps.workspaceState.update(ACTIVE_KEY, saved.id);
      await this.sendState();
    },
    deleteConversation: async (message) => {
      const title = (await this.deps.store.get(message.conversationId))?.title ?? 'this conversation';
      const choice = await vscode.window.showWarningMessage(`Delete the conversation “${title}”?`, { modal: true, detail: 'It cannot be restored.' }, 'Delete');
      if (choice !== 'Delete') {
        // The list is sent again all the same: the view puts the keyboard back where the user was.
        await this.broadcastHistory();
        return;
      }
      // An answer still streaming in it must not save it back when New Chat below stops it.
      this.deleted.add(message.conversationId);
      try {
        await this.deps.store.delete(message.conversationId);
      } catch (error) {
        // Still on disk, so still listed, and still saved as it goes on.
        this.deleted.delete(message.conversationId);
        this.deleteFailed(title, error as Error);
        await this.broadcastHistory();
        return;
      }
      if (message.conversationId === this.conversation.id) this.newChat();
      else await this.broadcastHistory();
    },
    showMoreHistory: (_message, from) => {
      this.historyPages.more(from);
      return this.broadcastHistory(from);
    },
    chooseModel: (message) => this.chooseModel(message.model),
    saveRoutingExample: async (message) => {
      await vscode.commands.executeCommand('omni.saveRoutingExample', message.requestId);
      await this.deps.refocus();
    },
    // The command checks the name against the settings and says so when the provider is gone.
    setApiKey: async (message) => {
      await vscode.commands.executeCommand('omni.setApiKey', message.provider);
      await this.deps.refocus();
    },
    // The command opens the new policy (or says to open a folder first): the focus goes there, not back to the chat.
    createPolicy: async () => {
      await vscode.commands.executeCommand('omni.createPolicy');
    },
  };

  private handle(message: WebviewMessage, from: vscode.Webview): Promise<void> | void {
    const handler = this.handlers[message.type] as (m: WebviewMessage, w: vscode.Webview) => Promise<void> | void;
    return handler(message, from);
  }

  /** `from.resource`: the document the request was read from, whose folder's policy routes it. */
  private async run(requestId: string, display: string, prompt: string, editor: EditorContext, from: AskedFrom): Promise<AskResult> {
    // Busy from the first moment, before any await: a command waiting for the chat to be free (whenIdle) must see
    // this answer, or two would start together and each take the other's unfinished text for an earlier turn.
    const controller = new AbortController();
    let ended = () => {};
    this.running.set(requestId, { controller, ended: new Promise<void>((resolve) => (ended = resolve)) });
    try {
      return await this.answer(requestId, display, prompt, editor, from, controller.signal);
    } finally {
      this.running.delete(requestId);
      ended();
    }
  }

  /** Resolves once no answer is streaming, counting those that start while it waits. */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((run) => run.ended));
  }

  private async answer(requestId: string, display: string, prompt: string, editor: EditorContext, { resource, retry }: AskedFrom, signal: AbortSignal): Promise<AskResult> {
    await Promise.all([this.restored, this.deps.policies.ready]);
    this.chosen = true;
    // Every open chat view shows the request; the one it came from already does and ignores this.
    this.post({ type: 'userTurn', requestId, text: display });
    const conversation = this.conversation;
    const active = this.deps.policies.current(resource);
    // A retry's file is the first request's, in the folder it was asked in, whichever folder routes the retry.
    const folder = retry?.folder ?? active.folder?.uri.toString();
    // Earlier user turns carry the file each was asked from (messagesOf): privacy.localOnly covers them too. Files
    // of another folder, whose own policy decides, and files behind links are named to the core as they really are.
    const earlier = retry?.earlier ?? conversation.turns;
    const asked = [...askedFiles(earlier, conversation.routedOn), ...(editor.fileName ? [{ fileName: editor.fileName, folder, via: 'the file it is asked from' }] : [])];
    const carriedFiles = localOnlyElsewhere(asked, active.folder, (uri) => this.deps.policies.current(uri).policy);
    const messages: ChatMessage[] = [...messagesOf(earlier, conversation.routedOn), { role: 'user', content: prompt }];
    const request: OmniRequest = { messages, editor, ...(carriedFiles.length > 0 ? { carriedFiles } : {}) };
    if (conversation.turns.length === 0) conversation.title = titleFrom(display);
    const turn: AssistantTurn = { role: 'assistant', requestId, text: '', notes: [], status: 'streaming' };
    conversation.turns.push({ role: 'user', text: display }, turn);
    const { languageId, fileName, selection, command } = editor;
    (conversation.routedOn ??= {})[requestId] = { prompt, languageId, fileName, selection, command, folder, ...(retry ? { earlierTurns: retry.earlier.length } : {}) };
    await this.persist(conversation);

    this.postBanner(active);
    const { policy } = active;
    const settings = readSettings();
    const override = retry?.model ?? conversation.modelOverride ?? undefined;
    const policyName = routingPolicyName(active);
    // A pinned or retried model answers whatever the conversation's last pick: the router only names the route.
    const router = override ? this.routerFor(policy) : withStickiness(this.routerFor(policy), policy, conversation.lastPick, settings);

    let savedText = turn.text;
    const checkpoint = setInterval(() => {
      if (turn.text === savedText) return;
      savedText = turn.text;
      void this.persist(conversation, { listHistory: false });
    }, STREAMING_SAVE_MS);
    try {
      const result = await runAnswer({
        requestId,
        turn,
        request,
        signal,
        post: (message) => this.post(message),
        log: this.deps.log,
        folderOpen: (vscode.workspace.workspaceFolders?.length ?? 0) > 0,
        policyName,
        deps: {
          policy,
          router,
          providers: this.deps.providers.current,
          breaker: this.breaker,
          firstTokenTimeoutMs: settings.firstTokenTimeoutMs,
          stallTimeoutMs: settings.stallTimeoutMs,
          timeoutSettings: { firstToken: 'the "omni.firstTokenTimeoutMs" setting', stall: 'the "omni.stallTimeoutMs" setting' },
          override: override && policy.models[override] ? { model: override, route: retry?.route } : undefined,
        },
        onDecision: (decision) => {
          this.decided.fire({ route: decision.route, model: displayName(policy, decision.model), policy: policyName });
          // Saved with its tag now, so a window closed mid-answer still shows where the request went, and the History
          // list names the model answering.
          void this.persist(conversation);
        },
      });
      // Stickiness keeps what the router picked, not a fallback that stood in for it. A pinned model is the user's,
      // not a pick to keep, and it answered since that pick: once unpinned, the next request is routed afresh.
      // A retry is the same request on another model: the conversation's pick stands.
      if (result.done && !override && result.routed) conversation.lastPick = result.routed;
      else if (result.done && !retry && override) conversation.lastPick = undefined;
      // A stopped answer's tokens were sent and partly received: they count too.
      const charge = result.done ?? result.stopped;
      if (charge) {
        this.ledger.record(charge, policy);
        this.postTotals();
      }
      if (turn.status === 'error' && turn.tag) this.decided.fire({ route: turn.tag.route, model: undefined, policy: policyName });
      return { requestId, text: turn.text, ok: !!result.done, incomplete: result.done?.incomplete };
    } finally {
      clearInterval(checkpoint);
      if (turn.status === 'streaming') turn.status = 'error';
      // Only a streaming answer counts its reasoning time.
      delete turn.reasoningSince;
      // The user may have switched conversations meanwhile (New Chat stops this run): save the one it belongs to.
      await this.persist(conversation);
    }
  }

  /**
   * Unpins a model the policy no longer has; returns what to tell the user about it. Dropped for good: kept, the
   * choice would come back unasked if the alias returned to the policy.
   */
  private dropMissingPin(active: ActivePolicy): SetupLines | undefined {
    const pinned = this.conversation.modelOverride;
    if (!pinned || active.policy.models[pinned]) return undefined;
    this.conversation.modelOverride = null;
    void this.broadcastModels();
    if (this.conversation.turns.length > 0) void this.persist();
    return [`The model you chose, "${pinned}", is no longer in ${active.label}.`, 'Requests are routed again; choose another model to pin one.'];
  }

  private routerFor(policy: Policy): Router {
    let router = this.routers.get(policy);
    if (!router) {
      router = buildRouter(policy, { getProvider: (name) => this.deps.providers.current.get(name) });
      this.routers.set(policy, router);
    }
    return router;
  }

  private activeResource(): vscode.Uri | undefined {
    return workingEditor()?.document.uri;
  }

  private async persist(conversation = this.conversation, { listHistory = true } = {}): Promise<void> {
    if (conversation.turns.length === 0 || this.deleted.has(conversation.id)) return;
    try {
      await this.deps.store.save(conversation);
    } catch (error) {
      this.saveFailed(error as Error);
      return;
    }
    this.savesFailing = false;
    // Only the conversation on screen is the one to reopen after a reload.
    if (conversation === this.conversation) await this.deps.workspaceState.update(ACTIVE_KEY, conversation.id);
    if (listHistory) await this.broadcastHistory();
  }

  /** Set while saves fail: the user hears of it once, not on every save of a streaming answer. */
  private savesFailing = false;

  /** A conversation that cannot be saved lives on in the window only: the user must know before closing it. */
  private saveFailed(error: Error): void {
    this.deps.log.error(`could not save the conversation in ${this.deps.store.folder}: ${error.message}`);
    if (this.savesFailing) return;
    this.savesFailing = true;
    void vscode.window.showWarningMessage(
      `Omni could not save the conversation (${error.message}). The chat keeps working, but what is not saved is lost when ` +
        `the window closes: check that ${this.deps.store.folder} can be written and its disk has room.`,
    );
  }

  /** The row stays in History: without a word the user would not know why, nor what to fix. */
  private deleteFailed(title: string, error: Error): void {
    this.deps.log.error(`could not delete the conversation "${title}": ${error.message}`);
    void vscode.window.showErrorMessage(
      `Omni could not delete the conversation “${title}” (${error.message}). It is still saved: check that ${this.deps.store.folder} ` +
        'and its files can be written, then delete it again.',
    );
  }

  private stopAll(): void {
    for (const { controller } of this.running.values()) controller.abort();
  }

  private post(message: HostMessage, to?: vscode.Webview): void {
    for (const webview of to ? [to] : this.webviews) void webview.postMessage(message);
  }

  private postConfig(to?: vscode.Webview): void {
    this.post({ type: 'config', showReasoning: readSettings().showReasoning }, to);
  }

  private async sendState(to?: vscode.Webview): Promise<void> {
    await Promise.all([this.restored, this.deps.policies.ready]);
    this.postConfig(to);
    this.postBanner(this.deps.policies.current(this.activeResource()), to);
    this.post({ type: 'conversation', conversationId: this.conversation.id, title: this.conversation.title, turns: this.conversation.turns, sentAt: Date.now() }, to);
    await this.broadcastModels(to);
    await this.broadcastHistory(to);
    this.postTotals(to);
  }

  private async broadcastHistory(to?: vscode.Webview): Promise<void> {
    let summaries;
    try {
      summaries = await this.deps.store.summaries();
    } catch (error) {
      // An unreadable folder leaves History as it was; the rest of the view (models, totals) still comes.
      this.deps.log.error(`could not list the saved conversations in ${this.deps.store.folder}: ${(error as Error).message}`);
      return;
    }
    for (const webview of to ? [to] : this.webviews) {
      this.post({ type: 'history', ...this.historyPages.page(webview, summaries), activeId: this.conversation.id }, webview);
    }
  }

  private async broadcastModels(to?: vscode.Webview): Promise<void> {
    const { policy } = this.deps.policies.current(this.activeResource());
    const models = Object.entries(policy.models).map(([alias, entry]) => ({ alias, displayName: displayName(policy, alias), provider: entry.provider }));
    const chosen = this.conversation.modelOverride && policy.models[this.conversation.modelOverride] ? this.conversation.modelOverride : null;
    this.post({ type: 'models', models, chosen }, to);
  }

  /** Tokens and cost of this window's answers so far, stopped ones included. */
  sessionTotals(): SessionTotals {
    return this.ledger.totals(this.deps.policies.current(this.activeResource()).policy);
  }

  /**
   * The banner stays while the policy is broken or not applied, and goes once it is fine again; otherwise it says
   * when a pinned model left the policy. One message decides it: a notice posted and then cleared is never seen. With
   * `to`, a view that just opened, which would otherwise show nothing or replay a notice that no longer holds.
   */
  private postBanner(active: ActivePolicy, to?: vscode.Webview): void {
    const unpinned = this.dropMissingPin(active);
    this.showBanner(policyNotice(active) ?? unpinned, to);
    this.shownFolder = active.folder?.uri.toString();
  }

  /** `notice` in the banner, or no banner. */
  private showBanner(notice: SetupLines | undefined, to?: vscode.Webview): void {
    this.post(notice ? { type: 'setup', lines: notice } : { type: 'clearBanner' }, to);
  }

  /**
   * In a multi-root workspace each folder has its own policy: when the user moves to a file of another folder, the
   * views show that folder's policy notice, models and baseline. A pinned model that folder lacks stays pinned until
   * a request there drops it: the user may only be passing through.
   */
  private followWorkingFolder(): void {
    const active = this.deps.policies.current(this.activeResource());
    const folder = active.folder?.uri.toString();
    if (folder === this.shownFolder) return;
    this.shownFolder = folder;
    this.showBanner(policyNotice(active));
    void this.broadcastModels();
    this.postTotals();
  }

  private postTotals(to?: vscode.Webview): void {
    const totals = this.sessionTotals();
    this.post(
      {
        type: 'sessionTotals',
        answers: totals.answers,
        inputTokens: totals.inputTokens,
        outputTokens: totals.outputTokens,
        estimated: totals.estimated,
        costUsd: totals.costUsd,
        unpriced: totals.unpriced,
        baselineCostUsd: totals.baseline ? totals.baseline.costUsd : null,
        savingUsd: totals.baseline ? totals.baseline.savingUsd : null,
        baselineModel: totals.baseline?.displayName ?? 'none',
      },
      to,
    );
  }
}

/** Where a request comes from: the document it was read from, and for Retry with… the request it repeats. */
interface AskedFrom {
  resource: vscode.Uri | undefined;
  retry?: Retry;
}

/** Retry with…: the model, the route and the turns the first request had, and the folder it was asked in. */
interface Retry {
  model: string;
  route?: string;
  earlier: Turn[];
  folder?: string;
}

/** An id for a request the host starts; the webview mints its own. */
function hostRequestId(): string {
  return `h-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Which folder's policy routes, named only in a multi-root workspace: there folders' policies differ, and the tag
 * and status bar must say which one decided; with one folder it would only be noise.
 */
function routingPolicyName({ label, uri, folder }: ActivePolicy): string | undefined {
  if ((vscode.workspace.workspaceFolders?.length ?? 0) < 2 || !folder) return undefined;
  // The workspace policy's label already names its folder; the built-in one routes for the folder that has none.
  return uri ? label : `${label} (for ${folder.name})`;
}

function policyNotice({ label, warning, restricted, removed }: ActivePolicy): SetupLines | undefined {
  if (restricted) {
    return [
      "Restricted Mode: this workspace's .omni/policies.json is not applied; the built-in default policy routes instead.",
      'Trust the workspace (Manage Workspace Trust) to use its policy.',
    ];
  }
  if (warning) return [`Policy problem: ${warning}.`, 'Routing follows the file as soon as it is saved without errors.'];
  if (removed) return [`${removed.problem}: the ${label} routes now.`, removed.fix];
  return undefined;
}
