import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Enterprise } from '../../shared/enterprise.ts';
import { type ApiAnswer, searchEnterprises } from '../net/api-client.ts';
import { enterpriseSuggestionCache } from '../sync/enterprise-cache.ts';

const DEBOUNCE_MS = 250;
const SUGGESTION_LIMIT = 10;

/** Asks the server's directory (replaceable in tests, which run with no server). */
export type DirectoryRequest = (keyword: string, signal: AbortSignal) => Promise<ApiAnswer<{ enterprises: Enterprise[] }>>;

const requestDirectory: DirectoryRequest = (keyword, signal) => searchEnterprises(keyword, { limit: SUGGESTION_LIMIT, signal });

export type SearchState = 'idle' | 'loading' | 'results' | 'offline-results' | 'empty' | 'offline' | 'failed';

/**
 * The suggestions for what is typed: asked of the directory a moment after typing stops, answered from
 * this session's answers when the keyword was asked already, and with no network from what the device
 * saw before (marked as such). Only the newest keyword's answer is shown.
 */
export class EnterpriseSearchController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly onList: (list: readonly Enterprise[]) => void;
  suggestions: Enterprise[] = [];
  state: SearchState = 'idle';
  /** The browser says there is no network now. */
  offline = false;
  request: DirectoryRequest = requestDirectory;

  private debounceTimer: ReturnType<typeof setTimeout> | undefined;
  private requestSeq = 0;
  private inFlight: AbortController | undefined;
  /** The keyword of the request in flight, so asking again at once does not ask twice. */
  private pendingKeyword: string | undefined;

  /** `onList` runs whenever the list shown changes (a new answer, or emptied). */
  constructor(host: ReactiveControllerHost, onList: (list: readonly Enterprise[]) => void) {
    this.host = host;
    this.onList = onList;
    host.addController(this);
  }

  private readonly onNetworkChange = (event: Event) => {
    this.offline = event.type === 'offline';
    this.host.requestUpdate();
  };

  hostConnected(): void {
    this.offline = navigator.onLine === false;
    window.addEventListener('online', this.onNetworkChange);
    window.addEventListener('offline', this.onNetworkChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.onNetworkChange);
    window.removeEventListener('offline', this.onNetworkChange);
    this.halt();
  }

  /** The text changed: search for it once typing pauses; an empty keyword empties the list. */
  typed(text: string): void {
    clearTimeout(this.debounceTimer);
    const keyword = text.trim();
    if (keyword === '') {
      this.cancel();
      this.showList([], 'idle');
      return;
    }
    this.debounceTimer = setTimeout(() => void this.search(keyword), DEBOUNCE_MS);
  }

  /** Search now instead of after the pause (ArrowDown with nothing listed yet), unless it is under way. */
  searchNow(text: string): void {
    const keyword = text.trim();
    if (keyword === '' || keyword === this.pendingKeyword) return;
    clearTimeout(this.debounceTimer);
    void this.search(keyword);
  }

  /** An enterprise was picked: whatever is pending or shown is of no use. */
  stop(): void {
    this.halt();
    this.state = 'idle';
    this.host.requestUpdate();
  }

  private halt() {
    clearTimeout(this.debounceTimer);
    this.cancel();
  }

  private cancel() {
    this.requestSeq++;
    this.inFlight?.abort();
    this.inFlight = undefined;
    this.pendingKeyword = undefined;
  }

  private async search(keyword: string) {
    const recent = enterpriseSuggestionCache.recent(keyword);
    this.cancel();
    if (recent) {
      this.show(recent);
      return;
    }
    const seq = this.requestSeq;
    this.pendingKeyword = keyword;
    this.state = 'loading';
    this.host.requestUpdate();
    if (navigator.onLine === false) {
      await this.showOffline(keyword, seq);
      return;
    }
    const controller = new AbortController();
    this.inFlight = controller;
    const answer = await this.request(keyword, controller.signal);
    // A newer keyword (or a cache hit) has taken over: this answer is stale.
    if (seq !== this.requestSeq) return;
    this.inFlight = undefined;
    if (answer.ok) {
      this.pendingKeyword = undefined;
      void enterpriseSuggestionCache.put(keyword, answer.data.enterprises);
      this.show(answer.data.enterprises);
      return;
    }
    if (answer.offline) {
      await this.showOffline(keyword, seq);
      return;
    }
    this.pendingKeyword = undefined;
    this.showList([], 'failed');
  }

  /** No network: what this device saw before for the keyword, marked as such. */
  private async showOffline(keyword: string, seq: number) {
    const cached = await enterpriseSuggestionCache.findOffline(keyword).catch(() => undefined);
    if (seq !== this.requestSeq) return;
    this.pendingKeyword = undefined;
    if (cached === undefined) this.showList([], 'offline');
    else this.show(cached, true);
  }

  private show(list: Enterprise[], offline = false) {
    this.showList(list, list.length === 0 ? 'empty' : offline ? 'offline-results' : 'results');
  }

  private showList(list: Enterprise[], state: SearchState) {
    this.suggestions = list;
    this.state = state;
    this.host.requestUpdate();
    this.onList(list);
  }
}
