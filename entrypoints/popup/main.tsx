import { render } from 'preact';
import { browser } from 'wxt/browser';
import { App } from '@/components/App';
import { createSessionStore } from '@/components/stores/session';
import { accountItem } from '@/utils/storage';
import '@/components/styles.css';

const store = createSessionStore({
  send: (message) => browser.runtime.sendMessage(message),
  readCachedAccount: () => accountItem.getValue(),
});

render(<App store={store} />, document.getElementById('app')!);
