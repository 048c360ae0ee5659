/** Entry point of the chat webview: lays out the panel and routes each host message to the view it concerns. */
import './styles.css';
import type { ConversationSummary, HostMessage, ModelChoice } from '../protocol/messages';
import { codeActionMessage, showCopied } from './codeBlocks';
import { Composer } from './composer';
import { h } from './dom';
import { historyButton, historyDeleteButton, historyRowButton, renderHistory } from './historyPanel';
import { connectToHost } from './host';
import { renderModelOptions, selectedModel } from './modelPicker';
import { renderSetupNotice } from './setupNotice';
import { noAnswersYet, renderTotals } from './totalsPanel';
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
/** What was announced since the region was emptied, read together once the moment passes; empty when none is due. */
let pendingAnnouncements: string[] = [];
/**
 * Tells screen readers about something that has no visible focus change. The region is emptied first and filled a
 * moment later, so the same words twice ("Code copied") are read twice. Whatever else is announced in that moment
 * joins the same announcement rather than replacing it: "Routed to …" followed at once by "Answer complete" is read
 * whole, where the region's last words alone would be read.
 */
function announce(text: string): void {
  if (pendingAnnouncements.at(-1) === text) return;
  pendingAnnouncements.push(text);
  if (pendingAnnouncements.length > 1) return;
  status.textContent = '';
  window.setTimeout(() => {
    const texts = pendingAnnouncements;
    pendingAnnouncements = [];
    status.textContent = texts.length === 1 ? texts[0] : texts.map((each) => (/[.!?…]$/.test(each) ? each : `${each}.`)).join(' ');
  }, 100);
}

/** The header's panels and their buttons: at most one is open (see showPanel). */
const panelToggles = new Map<HTMLElement, HTMLButtonElement>();

/**
 * A header button that shows and hides `panel`, keeping `aria-expanded` in step. Escape in the panel closes it and
 * takes the keyboard back to the button, as it does for the Retry with… menu.
 */
function panelToggle(label: string, panel: HTMLElement): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': panel.id }, label);
  panelToggles.set(panel, button);
  button.addEventListener('click', () => showPanel(button, panel, panel.hidden));
  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    // Not the panel-wide Escape: closing the list must not also stop the answer streaming below it.
    event.preventDefault();
    event.stopPropagation();
    showPanel(button, panel, false);
    button.focus();
  });
  return button;
}

/**
 * Opens or closes `panel`, with its header button's `aria-expanded` in step. Opening one closes the other: both open
 * left a narrow or zoomed sidebar almost no room for the conversation, and Tab from History went through the totals.
 */
function showPanel(toggle: HTMLButtonElement, panel: HTMLElement, open: boolean): void {
  if (open) {
    for (const [other, otherToggle] of panelToggles) if (other !== panel) showPanel(otherToggle, other, false);
  }
  panel.hidden = !open;
  toggle.setAttribute('aria-expanded', String(open));
}

const modelSelect = h('select', { class: 'model-select', 'aria-label': 'Model for new requests' });
renderModelOptions(modelSelect, [], null);
modelSelect.addEventListener('change', () => host.post({ type: 'chooseModel', model: selectedModel(modelSelect) }));

const totalsPanel = h('section', { id: 'totals-panel', class: 'panel', hidden: true, 'aria-label': 'Session totals' }, noAnswersYet());
const historyList = h('ul', { class: 'history-list' });
const historyPanel = h('section', { id: 'history-panel', class: 'panel', hidden: true, 'aria-label': 'Conversation history' }, historyList);
const historyToggle = panelToggle('History', historyPanel);
const newChatButton = h('button', { type: 'button', class: 'secondary', 'aria-label': 'New chat' }, '+ New');
newChatButton.addEventListener('click', () => {
  host.post({ type: 'newChat' });
  composer.focus();
});

const banner = h('div', { class: 'setup-banner', hidden: true });
function hideBanner(): void {
  banner.hidden = true;
  panelMessages.delete('setup');
}

/** The default key of Explain / Refactor Selection (package.json binds cmd+alt on macOS), written as VS Code's menus write it. */
function shortcut(key: string): string {
  return /Mac/.test(navigator.userAgent) ? `⌥⌘${key}` : `Ctrl+Alt+${key}`;
}

/** A welcome button that runs a setup command; a first-time user should not have to find it in the palette. */
function setupButton(label: string, title: string, message: { type: 'setApiKey' } | { type: 'createPolicy' }): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'secondary', title }, label);
  button.addEventListener('click', () => host.post(message));
  return button;
}

// Shown while the conversation is empty (see styles.css): a first run otherwise opens on a blank panel.
const welcome = h(
  'section',
  { class: 'welcome', 'aria-label': 'Getting started' },
  h('p', {}, `Ask about code, or put the cursor in a function and press ${shortcut('E')} to explain it (${shortcut('R')} to refactor).`),
  h(
    'p',
    { class: 'muted' },
    'Each request goes to the model that .omni/policies.json gives its route; without that file, a built-in policy of Hugging Face models routes. ' +
      '"Omni: Create Policy" writes one (with local models too); "Omni: Set API Key" stores a key.',
  ),
  h(
    'div',
    { class: 'welcome-actions' },
    setupButton('Set API Key', 'Store a provider\'s key in VS Code\'s secret storage ("Omni: Set API Key")', { type: 'setApiKey' }),
    setupButton('Create Policy', 'Write .omni/policies.json from a template ("Omni: Create Policy")', { type: 'createPolicy' }),
  ),
);
const transcriptElement = h('main', { class: 'transcript', 'aria-label': 'Conversation' });
const BUSY = 'An answer is still streaming: wait for it, or stop it (Esc) first.';

/** One answer at a time: a retry now would take the streaming answer's partial text as history. */
function retryRefusal(): string | undefined {
  if (!transcript.streamingRequestId()) return undefined;
  announce(BUSY);
  return BUSY;
}

const transcript = new Transcript(transcriptElement, {
  models: () => models,
  showReasoning: () => showReasoning,
  retryRefusal,
  retry(retryOf, model) {
    // The menu listed the models before this answer started; it has closed, so the reason shows by the message box.
    const why = retryRefusal();
    if (why) {
      composer.showNote(why);
      return;
    }
    const requestId = newRequestId();
    transcript.addPrompt(requestId, transcript.promptOf(retryOf) ?? '');
    host.post({ type: 'retryWith', requestId, retryOf, model });
    composer.setStreaming(true);
    // The menu that had the keyboard is gone; the message box is where the next step starts.
    composer.focus();
    announce(`Retrying with ${models.find((choice) => choice.alias === model)?.displayName ?? model}`);
  },
  saveExample(requestId) {
    host.post({ type: 'saveRoutingExample', requestId });
  },
  setKey(provider) {
    host.post({ type: 'setApiKey', provider });
  },
  changed() {
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
    // Else the status region still holds the previous answer's "Answer complete" while this one streams.
    announce('Sent; routing…');
  },
  stop,
  busy() {
    composer.showNote(BUSY);
    announce(BUSY);
  },
  refused: announce,
  draftChanged: saveNow,
});

document.body.append(
  h(
    'header',
    { class: 'toolbar' },
    modelSelect,
    // The panel toggles last, right before the panels they open: Tab from History reaches the list, not "+ New".
    newChatButton,
    panelToggle('Session', totalsPanel),
    historyToggle,
  ),
  totalsPanel,
  historyPanel,
  banner,
  welcome,
  transcriptElement,
  composer.element,
  status,
);

// Links and code buttons live inside re-rendered answers, so one listener on the transcript serves them all.
transcriptElement.addEventListener('click', (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const action = codeActionMessage(target);
  if (action) {
    // The host answers with a notice of what it did (or why not), which is announced then.
    host.post(action);
    if (action.type === 'copy') showCopied(target);
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

// Pickers the chat opens (Save as routing example, a confirmation) take the keyboard to the workbench; when the
// chat gets it back, it goes to the control the user left rather than to nothing.
let lastFocused: HTMLElement | undefined;
document.addEventListener('focusin', (event) => {
  if (event.target instanceof HTMLElement) lastFocused = event.target;
});
window.addEventListener('focus', () => {
  if (document.activeElement === document.body && lastFocused?.isConnected) lastFocused.focus();
});

/** Puts the keyboard where it belongs once the history list is drawn again for something the user did in it. */
let historyFocus: ((conversations: ConversationSummary[]) => void) | undefined;

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && transcript.streamingRequestId()) {
    event.preventDefault();
    stop();
  }
});

let saveTimer = 0;
/** Saves the view at once: a draft is saved on every change, as VS Code may drop a hidden view right after a key. */
function saveNow(): void {
  window.clearTimeout(saveTimer);
  saveTimer = 0;
  host.saveState({ replay: [...panelMessages.values(), transcript.snapshot()], draft: composer.draft });
}

/** Saves the view soon, at most a few times a second: a long answer streams thousands of tokens. */
function saveSoon(): void {
  if (saveTimer === 0) saveTimer = window.setTimeout(saveNow, 250);
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'focusComposer':
      composer.focus();
      return;
    case 'notice':
      announce(message.text);
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
      announce(`Routed to ${message.tag.route}; ${message.tag.modelDisplayName} is answering`);
      break;
    case 'token':
      transcript.answer(message.requestId)?.appendToken(message.text);
      break;
    case 'reasoning': {
      const answer = transcript.answer(message.requestId);
      // Once, not per tick: the status itself is not a live region.
      if (answer?.appendReasoning(message.text, message.replacesAnswer === true)) announce(`${answer.turn.tag?.modelDisplayName ?? 'The model'} is reasoning`);
      break;
    }
    case 'fallback':
      transcript.answer(message.requestId)?.addFallback(message.note);
      announce(`${message.note.failedModel} failed; ${message.note.retryInMs === undefined ? `${message.note.nextModel} is answering` : 'asking it again'}`);
      break;
    case 'usage':
      transcript.answer(message.requestId)?.setUsage(message.usage);
      break;
    case 'done':
      transcript.answer(message.requestId)?.complete(message.footer, message.stopped);
      announce(message.stopped ? 'Answer stopped' : 'Answer complete');
      break;
    case 'error':
      transcript.answer(message.requestId)?.fail(message.error, message.keyFor);
      announce(`Answer failed: ${[message.error.message, message.error.attempts.map((attempt) => `${attempt.model}: ${attempt.cause}`).join('; ')].join(' ').trim()}`);
      break;
    case 'clearBanner':
      hideBanner();
      break;
    case 'setup':
      if (message.requestId) {
        transcript.answer(message.requestId)?.needsSetup(message.lines, message.keyFor);
        // Else the last thing read is "… is answering": the notice is added whole, which live regions do not read.
        announce(message.lines.join(' '));
      } else {
        const dismiss = h('button', { type: 'button', class: 'secondary', 'aria-label': 'Dismiss setup notice' }, 'Dismiss');
        dismiss.addEventListener('click', () => {
          hideBanner();
          saveSoon();
          // The button just pressed is hidden with the banner; the keyboard would fall back to the page.
          composer.focus();
        });
        banner.replaceChildren(renderSetupNotice(message.lines), dismiss);
        banner.hidden = false;
        panelMessages.set(message.type, message);
      }
      break;
    case 'history': {
      // The host sends the list again whenever a conversation is saved (while an answer streams too): the keyboard
      // stays on the same button of the same conversation rather than falling to the page with the old row.
      const focusedRow = document.activeElement?.closest<HTMLElement>('.history-item');
      const kept = focusedRow && historyList.contains(focusedRow) ? { id: focusedRow.dataset.conversationId ?? '', remove: !!document.activeElement?.closest('.history-delete') } : undefined;
      renderHistory(historyList, message.conversations, message.activeId, message.older ?? 0, {
        open: (conversation) => {
          host.post({ type: 'openConversation', conversationId: conversation.id });
          // The panel would cover half the conversation just chosen.
          showPanel(historyToggle, historyPanel, false);
          composer.focus();
          announce(`Opened “${conversation.title}”`);
        },
        remove: (conversation, row) => {
          historyFocus = (conversations) => {
            // Still listed: the user cancelled, so back to the button they pressed. Else the same row, if any is left.
            if (conversations.some((listed) => listed.id === conversation.id)) {
              historyDeleteButton(historyList, conversation.id)?.focus();
              return;
            }
            (historyRowButton(historyList, row) ?? historyToggle).focus();
            announce('Conversation deleted');
          };
          host.post({ type: 'deleteConversation', conversationId: conversation.id });
        },
        showMore: () => {
          const listed = message.conversations.length;
          // The first of the rows added, where the user goes on reading.
          historyFocus = () => historyRowButton(historyList, listed)?.focus();
          host.post({ type: 'showMoreHistory' });
        },
      });
      if (historyFocus) historyFocus(message.conversations);
      else if (kept) historyButton(historyList, kept.id, kept.remove)?.focus();
      historyFocus = undefined;
      panelMessages.set(message.type, message);
      break;
    }
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
