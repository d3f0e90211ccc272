/**
 * Block Kit checks for the blocks and views firebell sends, with the limits of Slack's Block Kit
 * reference (docs.slack.dev/reference/block-kit/blocks, …/composition-objects, …/surfaces/modals).
 * The block types firebell uses are checked in depth; any other known type only needs its `type`.
 * A problem is one line with a JSON pointer, as Slack reports it in `response_metadata.messages`.
 */
type Json = Record<string, unknown>;
type Problem = string | null;

const OTHER_BLOCK_TYPES = new Set(['file', 'video', 'markdown', 'table', 'rich_text', 'context_actions']);

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const chars = (s: string) => [...s].length;

function checkText(value: unknown, at: string, opts: { plainOnly?: boolean; max: number }): Problem {
  if (!isObject(value)) return `must provide an object [json-pointer:${at}]`;
  if (value.type !== 'plain_text' && value.type !== 'mrkdwn') return `must be a text object [json-pointer:${at}/type]`;
  if (opts.plainOnly && value.type !== 'plain_text') return `must be a plain_text object [json-pointer:${at}/type]`;
  if (typeof value.text !== 'string' || value.text.length === 0) return `must be more than 0 characters [json-pointer:${at}/text]`;
  if (chars(value.text) > opts.max) return `must be less than ${opts.max + 1} characters [json-pointer:${at}/text]`;
  return null;
}

function checkId(value: unknown, at: string): Problem {
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.length === 0 || chars(value) > 255) return `must be a string of 1 to 255 characters [json-pointer:${at}]`;
  return null;
}

function checkOption(option: unknown, at: string): Problem {
  if (!isObject(option)) return `must provide an object [json-pointer:${at}]`;
  return checkText(option.text, `${at}/text`, { max: 75 }) ?? (typeof option.value === 'string' && chars(option.value) <= 150 ? null : `must be a string of at most 150 characters [json-pointer:${at}/value]`);
}

function checkElement(el: unknown, at: string): Problem {
  if (!isObject(el) || typeof el.type !== 'string') return `must provide an element with a type [json-pointer:${at}]`;
  const id = checkId(el.action_id, `${at}/action_id`);
  if (id) return id;
  switch (el.type) {
    case 'button':
      return checkText(el.text, `${at}/text`, { plainOnly: true, max: 75 }) ??
        (el.style === undefined || el.style === 'primary' || el.style === 'danger' ? null : `must be primary or danger [json-pointer:${at}/style]`);
    case 'plain_text_input':
      return el.placeholder === undefined ? null : checkText(el.placeholder, `${at}/placeholder`, { plainOnly: true, max: 150 });
    case 'static_select': {
      if (!Array.isArray(el.options) || el.options.length === 0 || el.options.length > 100) return `must provide 1 to 100 options [json-pointer:${at}/options]`;
      for (const [i, o] of el.options.entries()) {
        const p = checkOption(o, `${at}/options/${i}`);
        if (p) return p;
      }
      return el.initial_option === undefined ? null : checkOption(el.initial_option, `${at}/initial_option`);
    }
    case 'image':
      return typeof el.alt_text === 'string' ? null : `must provide alt_text [json-pointer:${at}/alt_text]`;
    default:
      return null;
  }
}

function checkBlock(block: unknown, at: string): Problem {
  if (!isObject(block) || typeof block.type !== 'string') return `must provide a block with a type [json-pointer:${at}]`;
  const id = checkId(block.block_id, `${at}/block_id`);
  if (id) return id;
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined) return `must provide text or fields [json-pointer:${at}]`;
      if (block.text !== undefined) {
        const p = checkText(block.text, `${at}/text`, { max: 3000 });
        if (p) return p;
      }
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length > 10) return `must provide at most 10 fields [json-pointer:${at}/fields]`;
        for (const [i, f] of block.fields.entries()) {
          const p = checkText(f, `${at}/fields/${i}`, { max: 2000 });
          if (p) return p;
        }
      }
      return block.accessory === undefined ? null : checkElement(block.accessory, `${at}/accessory`);
    }
    case 'header':
      return checkText(block.text, `${at}/text`, { plainOnly: true, max: 150 });
    case 'divider':
      return null;
    case 'context': {
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) return `must provide 1 to 10 elements [json-pointer:${at}/elements]`;
      for (const [i, e] of block.elements.entries()) {
        const p = isObject(e) && e.type === 'image' ? checkElement(e, `${at}/elements/${i}`) : checkText(e, `${at}/elements/${i}`, { max: 3000 });
        if (p) return p;
      }
      return null;
    }
    case 'actions': {
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) return `must provide 1 to 25 elements [json-pointer:${at}/elements]`;
      for (const [i, e] of block.elements.entries()) {
        const p = checkElement(e, `${at}/elements/${i}`);
        if (p) return p;
      }
      return null;
    }
    case 'input':
      return checkText(block.label, `${at}/label`, { plainOnly: true, max: 2000 }) ??
        (block.hint === undefined ? null : checkText(block.hint, `${at}/hint`, { plainOnly: true, max: 2000 })) ??
        checkElement(block.element, `${at}/element`);
    case 'image':
      return typeof block.image_url === 'string' || isObject(block.slack_file) ? checkElement(block, at) : `must provide image_url [json-pointer:${at}]`;
    default:
      return OTHER_BLOCK_TYPES.has(block.type) ? null : `unknown block type ${block.type} [json-pointer:${at}/type]`;
  }
}

/** Messages carry up to 50 blocks, modals up to 100; block_ids are unique within one surface. */
export function checkBlocks(blocks: unknown[], at: string, max = 50): Problem {
  if (blocks.length > max) return `must provide at most ${max} items [json-pointer:${at}]`;
  const ids = new Set<unknown>();
  for (const [i, b] of blocks.entries()) {
    const p = checkBlock(b, `${at}/${i}`);
    if (p) return p;
    const id = (b as Json).block_id;
    if (id !== undefined && ids.has(id)) return `block_id ${String(id)} is not unique [json-pointer:${at}/${i}/block_id]`;
    ids.add(id);
  }
  return null;
}

/** A modal view for views.open. */
export function checkView(view: Json): Problem {
  if (view.type !== 'modal') return 'view type must be modal [json-pointer:/view/type]';
  const p =
    checkText(view.title, '/view/title', { plainOnly: true, max: 24 }) ??
    (view.submit === undefined ? null : checkText(view.submit, '/view/submit', { plainOnly: true, max: 24 })) ??
    (view.close === undefined ? null : checkText(view.close, '/view/close', { plainOnly: true, max: 24 })) ??
    checkId(view.callback_id, '/view/callback_id');
  if (p) return p;
  if (view.private_metadata !== undefined && (typeof view.private_metadata !== 'string' || chars(view.private_metadata) > 3000)) {
    return 'must be a string of at most 3000 characters [json-pointer:/view/private_metadata]';
  }
  if (!Array.isArray(view.blocks)) return 'must provide an array [json-pointer:/view/blocks]';
  const blocks = checkBlocks(view.blocks, '/view/blocks', 100);
  if (blocks) return blocks;
  const hasInput = view.blocks.some((b) => isObject(b) && b.type === 'input');
  return hasInput && view.submit === undefined ? 'must provide submit when the view has input blocks [json-pointer:/view/submit]' : null;
}
