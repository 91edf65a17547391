import { render } from 'preact';
import { browser } from 'wxt/browser';
import { OptionsPage } from '@/components/options/OptionsPage';
import { createOptionsStore } from '@/components/options/store';
import { downloadJson } from '@/components/options/download';
import { ALLOWS_CUSTOM_API_BASE_URL } from '@/utils/config';
import { accountItem, getSettings, historyItem, serviceChoicesItem, settingsItem, tokenHandoffItem } from '@/utils/storage';
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
    initialSection={location.hash.slice(1)}
  />,
  document.getElementById('app')!,
);
