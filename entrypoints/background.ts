import { browser } from 'wxt/browser';
import { setupBackground } from '@/utils/background';

export default defineBackground(() => {
  setupBackground(browser, { indexedDB, globals: globalThis });
});
