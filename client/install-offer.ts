/** Chrome's deferred install prompt (not in TypeScript's DOM library). */
export interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<unknown>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/**
 * Holds Chrome's install prompt from the moment the app starts, so it is offered at a moment of our
 * choosing instead of Chrome's mini-infobar on the first screen. Event `change` when it comes or goes.
 */
export class InstallOffer extends EventTarget {
  private deferred: BeforeInstallPromptEvent | undefined;

  constructor(source: EventTarget) {
    super();
    source.addEventListener('beforeinstallprompt', (event) => {
      event.preventDefault();
      this.set(event as BeforeInstallPromptEvent);
    });
    source.addEventListener('appinstalled', () => this.set(undefined));
  }

  get available(): boolean {
    return this.deferred !== undefined;
  }

  /** Shows Chrome's install dialog (a prompt can be shown once) and says what the person chose. */
  async install(): Promise<'accepted' | 'dismissed' | 'unavailable'> {
    const event = this.deferred;
    if (!event) return 'unavailable';
    this.set(undefined);
    await event.prompt();
    return (await event.userChoice).outcome;
  }

  private set(event: BeforeInstallPromptEvent | undefined) {
    this.deferred = event;
    this.dispatchEvent(new Event('change'));
  }
}

/**
 * The app's offer, listening from the entry's first moment (client/main.ts imports this first): the
 * <install-prompt> element loads after the first screen, and Chrome may send its event before then.
 */
export const installOffer = new InstallOffer(window);
