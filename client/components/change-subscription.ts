import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Follows one source's `change` events for an element: subscribed while the element is connected,
 * moved to a new source when the element's property is replaced (tests give their own), and read once
 * at each (re)subscription so the element starts from the source's current state.
 * Usage: `new ChangeSubscription(this, () => this.clock, (clock) => { this.off = clock.deviceClockOff; })`.
 */
export class ChangeSubscription<T extends EventTarget> implements ReactiveController {
  private listening: T | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly source: () => T,
    private readonly onChange: (source: T) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.listening?.removeEventListener('change', this.handle);
    this.listening = undefined;
  }

  /** Before each render: the element's source may have been replaced since. */
  hostUpdate(): void {
    if (this.listening !== undefined) this.follow();
  }

  private readonly handle = () => {
    if (this.listening) this.onChange(this.listening);
  };

  private follow(): void {
    const next = this.source();
    if (next === this.listening) return;
    this.listening?.removeEventListener('change', this.handle);
    this.listening = next;
    next.addEventListener('change', this.handle);
    this.onChange(next);
  }
}
