import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * What a page says to screen readers through its aria-live region. The text is cleared first and set
 * after the next render, so the same words are read again when they are said twice (a second failed
 * submit, say).
 */
export class LiveAnnouncer implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  /** Render this inside the page's live region. */
  text = '';

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  async say(text: string): Promise<void> {
    this.text = '';
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.text = text;
    this.host.requestUpdate();
    await this.host.updateComplete;
  }

  /** Silence, e.g. when the page starts over. */
  clear(): void {
    this.text = '';
    this.host.requestUpdate();
  }
}
