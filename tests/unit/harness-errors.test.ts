import { describe, expect, it } from 'vitest';
import { isExtensionError } from '../../scripts/browsers/firefox';

const ORIGIN = 'moz-extension://7e3f2a10-5c1d-4b8e-9a6f-2d4c8b1e0f37';

describe("the Firefox suite's reading of Firefox's output", () => {
  it('takes uncaught errors and rejections in the extension, and what it logs itself', () => {
    for (const line of [
      `JavaScript error: ${ORIGIN}/popup.html, line 1: Error: boom`,
      `JavaScript error: ${ORIGIN}/background.js, line 12: TypeError: can't access property "setBadgeText", t.action is undefined`,
      'JavaScript error: http://shop.test:4000/content-listener.js, line 1: Error: x',
      'console.warn: "Text2FA could not load its autofill module:" (new TypeError("x"))',
    ]) {
      expect(isExtensionError(line, ORIGIN), line).toBe(true);
    }
  });

  it("leaves Firefox's own noise and the pages' errors alone", () => {
    for (const line of [
      'console.error: services.settings: ',
      'console.error: RSLoader: ',
      'JavaScript error: resource:///modules/backup/BackupService.sys.mjs, line 4408: NotAllowedError: PathUtils.join',
      'JavaScript error: http://shop.test:4000/main.js, line 3: ReferenceError: x is not defined',
      'console.log: "Text2FA"',
    ]) {
      expect(isExtensionError(line, ORIGIN), line).toBe(false);
    }
  });
});
