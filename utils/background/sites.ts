/**
 * Sites as users type them on the options page ("Example.com",
 * "https://www.example.co.uk/login"), reduced to the key the extension
 * compares sites by. It runs in the background, which already carries the
 * public-suffix list for matching tabs: the options page asks through
 * `site.normalize` instead of bundling the list a second time.
 */
import { siteKey } from '../services';

/** The site key of a typed domain or address, or null when it is not a web site. */
export function typedSiteKey(text: string): string | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return null;
  return siteKey(/^[a-z][a-z0-9+.-]*:\/\//.test(trimmed) ? trimmed : `https://${trimmed}/`);
}
