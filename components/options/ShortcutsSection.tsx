import { useEffect, useState } from 'preact/hooks';
import { FieldError, Section } from './fields';

/** One command as `browser.commands.getAll()` describes it. */
export interface ShortcutCommand {
  name?: string;
  description?: string;
  shortcut?: string;
}

export interface ShortcutsSectionProps {
  /** `browser.commands.getAll()`. */
  commands(): Promise<ShortcutCommand[]>;
  /** Firefox has no page the extension may open for this; it gets directions instead. */
  browserKind: 'chromium' | 'firefox';
  /** Opens the browser's shortcut settings (Chromium: `chrome://extensions/shortcuts`). */
  openShortcutSettings(): Promise<void>;
}

/** The popup's own command has no description of ours in some browsers. */
function describe(command: ShortcutCommand): string {
  if (command.description) return command.description;
  if (command.name === '_execute_action' || command.name === '_execute_browser_action') return 'Open Text2FA';
  return command.name ?? 'Unnamed command';
}

/** The keyboard shortcuts and where to change them. */
export function ShortcutsSection({ commands, browserKind, openShortcutSettings }: ShortcutsSectionProps) {
  const [list, setList] = useState<ShortcutCommand[] | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    let live = true;
    const load = () =>
      commands().then(
        (found) => live && setList(found),
        () => live && setError('The shortcuts could not be read from the browser.'),
      );
    void load();
    // Shortcuts are changed on another page; show the new ones on coming back.
    window.addEventListener('focus', load);
    return () => {
      live = false;
      window.removeEventListener('focus', load);
    };
  }, [commands]);

  return (
    <Section id="shortcuts" title="Keyboard shortcuts" intro="Shortcuts are set in the browser, not here.">
      {list === null && !error && <p class="hint">Reading the shortcuts…</p>}
      {list !== null && (
        <table class="opt-list-table" data-testid="shortcuts">
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Command</th>
              <th scope="col">Shortcut</th>
            </tr>
          </thead>
          <tbody>
            {list.map((command) => (
              <tr key={command.name}>
                <th scope="row">{describe(command)}</th>
                <td>
                  <code>{command.name}</code>
                </td>
                <td>{command.shortcut ? <kbd>{command.shortcut}</kbd> : <span class="opt-muted">not set</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FieldError id="shortcuts-error" message={error} />
      {browserKind === 'firefox' ? (
        <p class="opt-how">
          To change them, open <code>about:addons</code>, click the gear button, then choose{' '}
          <strong>Manage Extension Shortcuts</strong>.
        </p>
      ) : (
        <div class="actions opt-start">
          <button
            type="button"
            onClick={() =>
              void openShortcutSettings().catch(() =>
                setError('The shortcut settings could not be opened. Type chrome://extensions/shortcuts in the address bar.'),
              )
            }
          >
            Change shortcuts
          </button>
        </div>
      )}
    </Section>
  );
}
