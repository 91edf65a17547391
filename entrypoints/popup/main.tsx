import { render } from 'preact';
import { browser } from 'wxt/browser';
import { App } from '@/components/App';
import { browserEnv } from '@/components/stores/browser-env';
import { createPopupStores } from '@/components/stores/popup';
import '@/components/styles.css';

const env = browserEnv(browser);
// One storage read before the first render, so the balance is there when the popup paints.
const cachedAccount = await env.account.getValue().catch(() => null);
render(<App env={env} stores={createPopupStores(env, cachedAccount)} />, document.getElementById('app')!);
