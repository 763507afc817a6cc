import type { LitElement, ReactiveController } from 'lit';
import type { DraftStore } from '../../data/draft-store.ts';
import type { FieldEditEvent, FieldLeaveEvent } from './field-edit.ts';
import type { FormFeedback } from './form-feedback.ts';
import { keepSmallerPhoto, SMALLER_FAILED_MESSAGE } from './storage-full.ts';

const COMMITMENT_RESET = '手机号码或受聘企业已变更，请重新查看承诺书并作出承诺';

/**
 * What the person's edits do on the form: each goes into the draft, with what follows from it (a new
 * mobile or employer withdraws the commitment, 专业1 brings 专业2's message along, a field's errors show
 * once left), and 使用较小的照片 when the phone had no room for the photo.
 */
export class DraftEdits implements ReactiveController {
  /** Why the commitment must be made again, until it is. */
  commitmentNote = '';

  constructor(
    private readonly host: LitElement,
    private readonly store: () => DraftStore | undefined,
    private readonly feedback: FormFeedback,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  readonly onEdit = (event: FieldEditEvent) => {
    const store = this.store();
    if (!store) return;
    const { edit } = event;
    if (edit.field === 'photo') store.setPhoto(edit.blob, edit.whiteBackground);
    else if (edit.field === 'signature') store.setSignature(edit.blob);
    else store.set(edit.field, edit.value as never);
    // An acceptance covers the text as shown; a new mobile or employer changes that text.
    if ((edit.field === 'mobile' || edit.field === 'enterprise') && store.values.commitment) {
      store.set('commitment', undefined);
      this.commitmentNote = COMMITMENT_RESET;
    }
    if (edit.field === 'commitment') this.commitmentNote = '';
    // 专业2 is judged against 专业1, so its message follows 专业1 too.
    if (edit.field === 'specialty1' && store.values.specialty2) this.feedback.errors.touch('specialty2');
    this.feedback.errors.edited(edit.field);
    this.host.requestUpdate();
  };

  readonly onLeave = (event: FieldLeaveEvent) => {
    if (this.feedback.errors.left(event.field, event.filled)) this.host.requestUpdate();
  };

  /** 使用较小的照片: said when even the smaller one cannot be made. */
  readonly useSmallerPhoto = async () => {
    const store = this.store();
    if (store && !(await keepSmallerPhoto(store)) && store === this.store()) await this.feedback.say(SMALLER_FAILED_MESSAGE, true);
  };
}
