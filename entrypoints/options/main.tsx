import { render } from 'preact';
import { browser } from 'wxt/browser';
import { OptionsPage } from '@/components/options/OptionsPage';
import { createOptionsStore } from '@/components/options/store';
import { createProblemsStore } from '@/components/options/problems-store';
import { browserFromUserAgent } from '@/utils/text2fa/problems';
import { downloadJson } from '@/components/options/download';
import { ALLOWS_CUSTOM_API_BASE_URL } from '@/utils/config';
import { finishedOrders } from '@/utils/orders/history';
import { accountItem, answerProblemsItem, getSettings, historyItem, orderBookItem, serviceChoicesItem, settingsItem, tokenHandoffItem } from '@/utils/storage';
import '@/components/styles.css';
import '@/components/options/options.css';

/** The finished orders the popup's History lists: the history item's and the book's not yet archived. */
async function countFinished(): Promise<number> {
  const [book, history] = await Promise.all([orderBookItem.getValue(), historyItem.getValue()]);
  return finishedOrders(book.orders, history.orders).length;
}

const store = createOptionsStore({
  send: (message) => browser.runtime.sendMessage(message),
  stageToken: (token) => tokenHandoffItem.setValue(token),
  readSettings: getSettings,
  readServiceChoices: () => serviceChoicesItem.getValue(),
  readHistoryCount: countFinished,
  readAccount: () => accountItem.getValue(),
});

// The background (or the popup through it) may change these while the page is open.
settingsItem.watch(() => void getSettings().then((settings) => store.getState().stored({ settings })));
serviceChoicesItem.watch((serviceChoices) => store.getState().stored({ serviceChoices }));
const recount = () => void countFinished().then((historyCount) => store.getState().stored({ historyCount }));
historyItem.watch(recount);
orderBookItem.watch(recount);
accountItem.watch((account) => store.getState().stored({ account }));

const problems = createProblemsStore({
  send: (message) => browser.runtime.sendMessage(message),
  read: async () => (await answerProblemsItem.getValue()).entries,
  copyText: (text) => navigator.clipboard.writeText(text),
  extensionVersion: browser.runtime.getManifest().version,
  browser: browserFromUserAgent(navigator.userAgent),
  now: Date.now,
});
answerProblemsItem.watch((log) => problems.getState().stored(log.entries));

render(
  <OptionsPage
    store={store}
    showDeveloper={ALLOWS_CUSTOM_API_BASE_URL}
    browserKind={import.meta.env.FIREFOX ? 'firefox' : 'chromium'}
    commands={() => browser.commands.getAll()}
    openShortcutSettings={async () => {
      await browser.tabs.create({ url: 'chrome://extensions/shortcuts' });
    }}
    saveFile={(name, text) => downloadJson(name, text)}
    problems={{ store: problems, scrollOnMount: location.hash === '#problems' }}
    initialSection={location.hash.slice(1)}
  />,
  document.getElementById('app')!,
);
