import type { ApplicationTopField } from '../../../shared/application-fields.ts';

const FOCUSABLE = 'input:not([type=hidden]), select, textarea, button, [tabindex]';

/** The invalid (or else the first focusable) control inside a component's own shadow root. */
function innerControl(root: ParentNode, tag: string): HTMLElement | null {
  const host = root.querySelector<HTMLElement>(tag);
  const inner = host?.shadowRoot;
  return inner?.querySelector<HTMLElement>('[aria-invalid=true]') ?? inner?.querySelector<HTMLElement>(FOCUSABLE) ?? host ?? null;
}

/** The control that takes the focus for a field of the application form rendered in `root`. */
export function fieldControl(root: ParentNode, field: ApplicationTopField): HTMLElement | null {
  switch (field) {
    case 'sex':
      return root.querySelector<HTMLInputElement>('input[name=sex]:checked') ?? root.querySelector('#sex-male');
    case 'enterprise':
      return innerControl(root, 'enterprise-picker');
    case 'photo':
      return innerControl(root, 'photo-tool');
    case 'signature':
      return innerControl(root, 'signature-pad');
    case 'commitment':
      return root.querySelector('#view-commitment');
    default:
      return root.querySelector(`#${field}`);
  }
}
