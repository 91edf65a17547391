import { useEffect } from 'preact/hooks';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { AccountSection } from './AccountSection';
import { AutofillSection } from './AutofillSection';
import { ChoicesSection } from './ChoicesSection';
import { DataSection } from './DataSection';
import { DefaultsSection } from './DefaultsSection';
import { DeveloperSection } from './DeveloperSection';
import { OrdersSection } from './OrdersSection';
import { ShortcutsSection, type ShortcutCommand } from './ShortcutsSection';
import { ProblemsSection } from './ProblemsSection';
import type { ProblemsState } from './problems-store';
import type { OptionsState } from './store';

export interface OptionsPageProps {
  store: StoreApi<OptionsState>;
  /** Whether to offer the API base URL (development and test builds only). */
  showDeveloper: boolean;
  browserKind: 'chromium' | 'firefox';
  commands(): Promise<ShortcutCommand[]>;
  openShortcutSettings(): Promise<void>;
  saveFile(name: string, text: string): void;
  now?: () => Date;
  /** The "Problems with Text2FA answers" section; `scrollOnMount` when the page was opened at `#problems`. */
  problems?: { store: StoreApi<ProblemsState>; scrollOnMount?: boolean };
  /** The section the page was opened at (`options.html#orders`): shown and focused once the page has rendered. */
  initialSection?: string;
}

/** The options page: every section, in the order people look for them. */
export function OptionsPage(props: OptionsPageProps) {
  const { store, showDeveloper } = props;
  const ready = useStore(store, (s) => s.ready);

  useEffect(() => {
    void store.getState().load();
  }, [store]);
  // The browser looked for the fragment before the sections existed: go there now that they do.
  useEffect(() => {
    if (!ready || !props.initialSection) return;
    const heading = document.getElementById(`${props.initialSection}-title`);
    heading?.scrollIntoView?.({ block: 'start' });
    heading?.focus({ preventScroll: true });
  }, [ready, props.initialSection]);

  const sections = [
    { id: 'account', title: 'Account' },
    { id: 'defaults', title: 'Order defaults' },
    { id: 'autofill', title: 'Filling pages' },
    { id: 'orders', title: 'Orders and spending' },
    { id: 'choices', title: 'Services per site' },
    { id: 'data', title: 'Your data' },
    { id: 'shortcuts', title: 'Shortcuts' },
    ...(props.problems ? [{ id: 'problems', title: 'Problems with Text2FA answers' }] : []),
    ...(showDeveloper ? [{ id: 'developer', title: 'Developer' }] : []),
  ];

  return (
    <div class="opt-page">
      <header class="opt-header">
        <h1>Text2FA settings</h1>
        <p class="hint">Changes are saved as soon as you make them: text fields when you press Enter or leave them.</p>
        <nav aria-label="Sections">
          <ul>
            {sections.map((section) => (
              <li key={section.id}>
                <a href={`#${section.id}`}>{section.title}</a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main class="opt-main">
        {ready ? (
          <>
            <AccountSection store={store} />
            <DefaultsSection store={store} />
            <AutofillSection store={store} />
            <OrdersSection store={store} />
            <ChoicesSection store={store} />
            <DataSection store={store} saveFile={props.saveFile} {...(props.now ? { now: props.now } : {})} />
            <ShortcutsSection
              commands={props.commands}
              browserKind={props.browserKind}
              openShortcutSettings={props.openShortcutSettings}
            />
            {props.problems && <ProblemsSection store={props.problems.store} scrollOnMount={props.problems.scrollOnMount ?? false} />}
            {showDeveloper && <DeveloperSection store={store} />}
          </>
        ) : (
          <p class="hint" role="status">
            Loading…
          </p>
        )}
      </main>
    </div>
  );
}
