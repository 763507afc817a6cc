import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * An object URL for a Blob an element shows (a photo or signature preview): made while the element is
 * in the page, revoked when the Blob changes or the element leaves, so no preview outlives its use.
 */
export class BlobUrlController implements ReactiveController {
  private readonly host: ReactiveControllerHost & { readonly isConnected: boolean };
  private blob: Blob | undefined;
  /** The URL to render, or undefined while there is no Blob (or the element is not in the page). */
  url: string | undefined;

  constructor(host: ReactiveControllerHost & { readonly isConnected: boolean }) {
    this.host = host;
    host.addController(this);
  }

  /** The Blob to show now; call it from willUpdate when it changed. */
  show(blob: Blob | undefined): void {
    if (blob === this.blob && (this.url !== undefined || blob === undefined)) return;
    this.revoke();
    this.blob = blob;
    if (blob && this.host.isConnected) this.url = URL.createObjectURL(blob);
  }

  hostConnected(): void {
    // Moved in the DOM: the URL was revoked on disconnect, make a new one.
    if (this.blob && this.url === undefined) {
      this.url = URL.createObjectURL(this.blob);
      this.host.requestUpdate();
    }
  }

  hostDisconnected(): void {
    this.revoke();
  }

  private revoke(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = undefined;
  }
}
