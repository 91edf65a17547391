import { render } from 'preact';
import { browser } from 'wxt/browser';
import { OptionsPage } from '@/components/options/OptionsPage';
import { createOptionsStore } from '@/components/options/store';
import { createProblemsStore } from '@/components/options/problems-store';
import { browserFromUserAgent } from '@/utils/text2fa/problems';
import { downloadJson } from '@/components/options/download';
import { ALLOWS_CUSTOM_API_BASE_URL } from '@/utils/config';
import { accountItem, answerProblemsItem, getSettings, historyItem, serviceChoicesItem, settingsItem, tokenHandoffItem } from '@/utils/storage';
import '@/components/styles.css';
import '@/components/options/options.css';

const store = createOptionsStore({
  send: (message) => browser.runtime.sendMessage(message),
  stageToken: (token) => tokenHandoffItem.setValue(token),
  readSettings: getSettings,
  readServiceChoices: () => serviceChoicesItem.getValue(),
  readHistoryCount: async () => (await historyItem.getValue()).orders.length,
  readAccount: () => accountItem.getValue(),
});

// The background (or the popup through it) may change these while the page is open.
settingsItem.watch(() => void getSettings().then((settings) => store.getState().stored({ settings })));
serviceChoicesItem.watch((serviceChoices) => store.getState().stored({ serviceChoices }));
historyItem.watch((history) => store.getState().stored({ historyCount: history.orders.length }));
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
  />,
  document.getElementById('app')!,
);
