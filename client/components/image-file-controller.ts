import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FORMAT_MESSAGE, sniffBlobType } from './photo-processing.ts';

/** A picture chosen in a file input, already known to be JPEG or PNG by its content. */
export interface ImageChoice {
  file: File;
  input: HTMLInputElement;
  /** True while no newer pick has begun (nor the element left the page): only then is the result used. */
  current: () => boolean;
}

/**
 * The chosen-file side of an image field (photo, signature): its message and status lines, the content
 * check (JPEG or PNG by the first bytes, whatever the name says), and which pick is current, so a slow
 * pick that finishes after a newer one began, or after the element left the page, changes nothing.
 */
export class ImageFileController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private messageText = '';
  private statusText = '';
  private seq = 0;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  /** The field's own problem (wrong format, unreadable …), rendered in its assertive line; empty when none. */
  get message(): string {
    return this.messageText;
  }

  set message(text: string) {
    this.messageText = text;
    this.host.requestUpdate();
  }

  /** What the field is doing or has done, rendered in its role=status line; empty when nothing. */
  get status(): string {
    return this.statusText;
  }

  set status(text: string) {
    this.statusText = text;
    this.host.requestUpdate();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.cancel();
  }

  /** Drops the pick under way, if any: what it finishes with is not used. */
  cancel(): void {
    this.seq++;
  }

  /** A check that stays true until a newer pick begins or this one is cancelled. */
  current(): () => boolean {
    const seq = this.seq;
    return () => seq === this.seq;
  }

  /**
   * The picture chosen in a file input's change event. Undefined when nothing was chosen, when it is not
   * JPEG or PNG (the message says so and the input is cleared), or when a newer pick began meanwhile.
   */
  async chosen(event: Event): Promise<ImageChoice | undefined> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return undefined;
    this.cancel();
    const current = this.current();
    this.message = '';
    this.status = '';
    const type = await sniffBlobType(file);
    if (!current()) return undefined;
    if (!type) {
      this.refuse(input, FORMAT_MESSAGE);
      return undefined;
    }
    return { file, input, current };
  }

  /** Says why the chosen file cannot be used and clears the input, so choosing it again fires change again. */
  refuse(input: HTMLInputElement, message: string): void {
    this.message = message;
    input.value = '';
  }
}
