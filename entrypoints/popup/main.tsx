import { render } from 'preact';
import { browser } from 'wxt/browser';
import { App } from '@/components/App';
import { browserEnv } from '@/components/stores/browser-env';
import { createPopupStores } from '@/components/stores/popup';
import '@/components/styles.css';

const env = browserEnv(browser);
render(<App env={env} stores={createPopupStores(env)} />, document.getElementById('app')!);
