import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { NavigateDetail } from '../navigation.ts';

/** A shell whose screen follows the address: the applicant's app-shell, the staff console. */
export interface RoutedHost extends ReactiveControllerHost, HTMLElement {
  /** The address's path, which picks the screen. */
  path: string;
  /** The address's query (which receipt, which filters). */
  search: string;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * Keeps the host's `path` and `search` in step with the address: back and forward, and the `navigate`
 * events its pages dispatch (see navigation.ts). Pages never touch history themselves.
 * Usage: `private readonly router = new HistoryRouter(this)`; `this.router.go(to)`.
 */
export class HistoryRouter implements ReactiveController {
  constructor(private readonly host: RoutedHost) {
    host.path = location.pathname;
    host.search = location.search;
    host.addController(this);
  }

  private readonly onPopState = () => {
    this.host.path = location.pathname;
    this.host.search = location.search;
  };

  private readonly onNavigate = (event: Event) => {
    const { to, replace } = (event as CustomEvent<NavigateDetail>).detail;
    this.go(to, replace);
  };

  hostConnected(): void {
    window.addEventListener('popstate', this.onPopState);
    this.host.addEventListener('navigate', this.onNavigate);
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this.onPopState);
    this.host.removeEventListener('navigate', this.onNavigate);
  }

  /** Goes to `to`; `replace` swaps the current history entry (e.g. after a completed step). */
  go(to: string, replace = false): void {
    const from = this.host.path;
    if (replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    this.host.search = location.search;
    this.host.path = location.pathname;
    // Another query on the same screen (other filters, another receipt): the person stays where they are.
    if (!replace && location.pathname === from) return;
    window.scrollTo(0, 0);
    // Keyboard and screen-reader users start reading the new screen from its top.
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('main')?.focus());
  }
}
