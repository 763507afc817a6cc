import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The popup list of a combobox (ARIA 1.2 list autocomplete): whether it is open and which option is
 * active, moved with the arrow keys (wrapping round), chosen with Enter, closed with Escape. The focus
 * stays in the input; options are rendered with the ids of `optionId`.
 */
export class ListboxController implements ReactiveController {
  private readonly host: ReactiveControllerHost & { readonly renderRoot: ParentNode };
  private readonly count: () => number;
  expanded = false;
  activeIndex = -1;

  /** `count` is how many options there are now. */
  constructor(host: ReactiveControllerHost & { readonly renderRoot: ParentNode }, count: () => number) {
    this.host = host;
    this.count = count;
    host.addController(this);
  }

  hostConnected(): void {}

  hostUpdated(): void {
    // Keep the active option in view while moving with the arrow keys.
    if (this.expanded && this.activeIndex >= 0) {
      this.host.renderRoot.querySelector(`#${this.optionId(this.activeIndex)}`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  optionId(index: number): string {
    return `option-${index}`;
  }

  /** Open with something to show: the list shown, for aria-expanded. */
  get open(): boolean {
    return this.expanded && this.count() > 0;
  }

  /** The id for aria-activedescendant; empty while no option is active. */
  get activeId(): string {
    return this.open && this.activeIndex >= 0 ? this.optionId(this.activeIndex) : '';
  }

  /** A new list: open or not, with no option active. */
  reset(open: boolean): void {
    this.expanded = open && this.count() > 0;
    this.activeIndex = -1;
    this.host.requestUpdate();
  }

  close(): void {
    this.reset(false);
  }

  /** Arrow keys, Enter and Escape on the input. Returns the index chosen with Enter, if one was. */
  keyDown(event: KeyboardEvent): number | undefined {
    const count = this.count();
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (count === 0) return undefined;
        event.preventDefault();
        const down = event.key === 'ArrowDown';
        if (!this.expanded || this.activeIndex < 0) this.activeIndex = down ? 0 : count - 1;
        else this.activeIndex = (this.activeIndex + (down ? 1 : count - 1)) % count;
        this.expanded = true;
        this.host.requestUpdate();
        return undefined;
      }
      case 'Enter':
        if (!this.expanded || this.activeIndex < 0 || this.activeIndex >= count) return undefined;
        // Keep Enter from submitting the surrounding form while choosing.
        event.preventDefault();
        return this.activeIndex;
      case 'Escape':
        if (this.expanded) {
          event.preventDefault();
          event.stopPropagation();
          this.close();
        }
        return undefined;
      default:
        return undefined;
    }
  }
}
