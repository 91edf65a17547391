/**
 * The demo sign-up site's country select (issue 13, finding 12): flag emoji
 * showed as empty boxes on Debian, which has no colour emoji font. Each
 * option shows its dial code and country name instead.
 */
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';

describe('the demo site’s country select', () => {
  it('names each country in words after its dial code, with no flag emoji', () => {
    const window = new Window();
    window.document.write(readFileSync(new URL('../../demo/site/index.html', import.meta.url), 'utf8'));
    const options = [...window.document.querySelectorAll('#country option')].map((o) => ({
      value: o.getAttribute('value'),
      text: o.textContent ?? '',
    }));
    expect(options.length).toBeGreaterThan(1);
    for (const { value, text } of options) {
      expect(text).not.toMatch(/\p{Regional_Indicator}|\p{Extended_Pictographic}/u);
      expect(text).toMatch(new RegExp(`^\\${value} [A-Z][a-z]+(?: [A-Z][a-z]+)*$`));
    }
    expect(options.find((o) => o.value === '+1')?.text).toBe('+1 United States');
    void window.happyDOM.close();
  });
});
