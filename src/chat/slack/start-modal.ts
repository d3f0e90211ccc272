import { DEFAULT_SEVERITY, MAX_TITLE_LENGTH } from '../../core/model.ts';

export const START_MODAL_ID = 'incident_start';

/** Where the modal was opened from, carried through Slack in the view's private_metadata. */
export interface StartModalOrigin {
  channelId: string;
  responseUrl: string;
}

const SEVERITIES = [1, 2, 3, 4].map((n) => ({ text: { type: 'plain_text', text: `SEV${n}` }, value: String(n) }));

/** `/incident start` with no title: a form for the title, the severity and a description. */
export function startModal(origin: StartModalOrigin): Record<string, unknown> {
  const initial = SEVERITIES[DEFAULT_SEVERITY - 1]!;
  return {
    type: 'modal',
    callback_id: START_MODAL_ID,
    title: { type: 'plain_text', text: 'Start an incident' },
    submit: { type: 'plain_text', text: 'Start' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(origin),
    blocks: [
      {
        type: 'input',
        block_id: 'title',
        label: { type: 'plain_text', text: 'Title' },
        element: { type: 'plain_text_input', action_id: 'value', max_length: MAX_TITLE_LENGTH, placeholder: { type: 'plain_text', text: 'Checkout is failing' } },
      },
      {
        type: 'input',
        block_id: 'severity',
        label: { type: 'plain_text', text: 'Severity' },
        element: { type: 'static_select', action_id: 'value', options: SEVERITIES, initial_option: initial },
      },
      {
        type: 'input',
        block_id: 'description',
        optional: true,
        label: { type: 'plain_text', text: 'Description' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true },
      },
    ],
  };
}

export interface StartModalValues {
  title: string;
  severity: string | null;
  description: string | null;
  origin: StartModalOrigin | null;
}

type StateValues = Record<string, Record<string, { value?: string | null; selected_option?: { value?: string } | null }>>;

/** What was filled in, read from a view_submission's state. */
export function readStartModal(view: { state: { values: StateValues }; private_metadata?: string }): StartModalValues {
  const v = view.state.values;
  let origin: StartModalOrigin | null = null;
  try {
    const parsed = JSON.parse(view.private_metadata ?? '') as Partial<StartModalOrigin>;
    if (typeof parsed.channelId === 'string' && typeof parsed.responseUrl === 'string') origin = { channelId: parsed.channelId, responseUrl: parsed.responseUrl };
  } catch {
    origin = null;
  }
  return {
    title: (v.title?.value?.value ?? '').trim(),
    severity: v.severity?.value?.selected_option?.value ?? null,
    description: v.description?.value?.value?.trim() || null,
    origin,
  };
}
