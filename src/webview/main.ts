/** Entry point of the chat webview: lays out the panel and routes each host message to the view it concerns. */
import './styles.css';
import type { HostMessage, ModelChoice } from '../protocol/messages';
import { codeActionMessage } from './codeBlocks';
import { Composer } from './composer';
import { h } from './dom';
import { renderHistory } from './historyPanel';
import { connectToHost } from './host';
import { renderModelOptions, selectedModel } from './modelPicker';
import { renderSetupNotice } from './setupNotice';
import { renderTotals } from './totalsPanel';
import { Transcript } from './transcript';

const host = connectToHost();
let models: ModelChoice[] = [];
let showReasoning = false;
/** The latest message of each kind that describes the panel rather than one answer, replayed after a reload. */
const panelMessages = new Map<HostMessage['type'], HostMessage>();

function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `r-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

const status = h('div', { class: 'visually-hidden', role: 'status' });
/** Tells screen readers about something that has no visible focus change. */
function announce(text: string): void {
  status.textContent = text;
}

/** A header button that shows and hides `panel`, keeping `aria-expanded` in step. */
function panelToggle(label: string, panel: HTMLElement): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': panel.id }, label);
  button.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
  });
  return button;
}

const modelSelect = h('select', { class: 'model-select', 'aria-label': 'Model for new requests' });
renderModelOptions(modelSelect, [], null);
modelSelect.addEventListener('change', () => host.post({ type: 'chooseModel', model: selectedModel(modelSelect) }));

const totalsPanel = h('section', { id: 'totals-panel', class: 'panel', hidden: true, 'aria-label': 'Session totals' }, 'No requests yet.');
const historyList = h('ul', { class: 'history-list' });
const historyPanel = h('section', { id: 'history-panel', class: 'panel', hidden: true, 'aria-label': 'Conversation history' }, historyList);
const newChatButton = h('button', { type: 'button', class: 'secondary', 'aria-label': 'New chat' }, '+ New');
newChatButton.addEventListener('click', () => host.post({ type: 'newChat' }));

const banner = h('div', { class: 'setup-banner', hidden: true });
function hideBanner(): void {
  banner.hidden = true;
  panelMessages.delete('setup');
}

const transcriptElement = h('main', { class: 'transcript', 'aria-label': 'Conversation' });
const transcript = new Transcript(transcriptElement, {
  models: () => models,
  showReasoning: () => showReasoning,
  retry(retryOf, model) {
    // One answer at a time: a retry now would take the streaming answer's partial text as history.
    if (transcript.streamingRequestId()) return;
    const requestId = newRequestId();
    transcript.addPrompt(requestId, transcript.promptOf(retryOf) ?? '');
    host.post({ type: 'retryWith', requestId, retryOf, model });
    composer.setStreaming(true);
  },
  saveExample(requestId) {
    host.post({ type: 'saveRoutingExample', requestId });
  },
  changed() {
    transcript.scrollToEnd();
    saveSoon();
  },
});

function stop(): void {
  const requestId = transcript.streamingRequestId();
  if (requestId) host.post({ type: 'stop', requestId });
}

const composer = new Composer({
  send(text) {
    const requestId = newRequestId();
    transcript.addPrompt(requestId, text);
    host.post({ type: 'send', requestId, text });
    composer.setStreaming(true);
  },
  stop,
  draftChanged: saveSoon,
});

document.body.append(
  h(
    'header',
    { class: 'toolbar' },
    modelSelect,
    panelToggle('Session', totalsPanel),
    panelToggle('History', historyPanel),
    newChatButton,
  ),
  totalsPanel,
  historyPanel,
  banner,
  transcriptElement,
  composer.element,
  status,
);

const codeActionNotices = { copy: 'Code copied', insertAtCursor: 'Code inserted at cursor', applyToSelection: 'Code applied to selection' };

// Links and code buttons live inside re-rendered answers, so one listener on the transcript serves them all.
transcriptElement.addEventListener('click', (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const action = codeActionMessage(target);
  if (action) {
    host.post(action);
    announce(codeActionNotices[action.type]);
    return;
  }
  const link = target.closest('.markdown a');
  if (link) {
    // The webview never navigates: the host decides whether to open the link.
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href) host.post({ type: 'openLink', href });
  }
});
transcriptElement.addEventListener('auxclick', (event) => {
  if (event.target instanceof Element && event.target.closest('.markdown a')) event.preventDefault();
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && transcript.streamingRequestId()) {
    event.preventDefault();
    stop();
  }
});

let saveTimer = 0;
/** Saves the view soon, at most a few times a second: a long answer streams thousands of tokens. */
function saveSoon(): void {
  if (saveTimer !== 0) return;
  saveTimer = window.setTimeout(() => {
    saveTimer = 0;
    host.saveState({ replay: [...panelMessages.values(), transcript.snapshot()], draft: composer.draft });
  }, 250);
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'focusComposer':
      composer.focus();
      return;
    case 'config':
      showReasoning = message.showReasoning;
      panelMessages.set(message.type, message);
      break;
    case 'conversation':
      transcript.load(message);
      break;
    case 'userTurn':
      if (!transcript.answer(message.requestId)) transcript.addPrompt(message.requestId, message.text);
      break;
    case 'decision':
      transcript.answer(message.requestId)?.setDecision(message.tag);
      break;
    case 'token':
      transcript.answer(message.requestId)?.appendToken(message.text);
      break;
    case 'reasoning':
      transcript.answer(message.requestId)?.appendReasoning(message.text);
      break;
    case 'fallback':
      transcript.answer(message.requestId)?.addFallback(message.note);
      break;
    case 'usage':
      transcript.answer(message.requestId)?.setUsage(message.usage);
      break;
    case 'done':
      transcript.answer(message.requestId)?.complete(message.footer, message.stopped);
      if (!message.stopped) hideBanner();
      announce(message.stopped ? 'Answer stopped' : 'Answer complete');
      break;
    case 'error':
      transcript.answer(message.requestId)?.fail(message.error);
      announce(`Answer failed: ${message.error.message}`);
      break;
    case 'setup':
      if (message.requestId) {
        transcript.answer(message.requestId)?.needsSetup(message.lines);
      } else {
        const dismiss = h('button', { type: 'button', class: 'secondary', 'aria-label': 'Dismiss setup notice' }, 'Dismiss');
        dismiss.addEventListener('click', () => {
          hideBanner();
          saveSoon();
        });
        banner.replaceChildren(renderSetupNotice(message.lines), dismiss);
        banner.hidden = false;
        panelMessages.set(message.type, message);
      }
      break;
    case 'history':
      renderHistory(historyList, message.conversations, message.activeId, message.older ?? 0, {
        open: (conversationId) => host.post({ type: 'openConversation', conversationId }),
        remove: (conversationId) => host.post({ type: 'deleteConversation', conversationId }),
      });
      panelMessages.set(message.type, message);
      break;
    case 'sessionTotals':
      renderTotals(totalsPanel, message);
      panelMessages.set(message.type, message);
      break;
    case 'models':
      models = message.models;
      renderModelOptions(modelSelect, message.models, message.chosen);
      panelMessages.set(message.type, message);
      break;
  }
  composer.setStreaming(transcript.streamingRequestId() !== undefined);
  if (message.type !== 'token') saveSoon();
}

const saved = host.loadState();
for (const message of saved.replay) handle(message);
composer.draft = saved.draft;
host.listen(handle);
host.post({ type: 'ready' });
composer.focus();
