import type { FormErrors } from './errors.js';
import { arrayOr, charLength, isRecord, type JsonRecord } from './json.js';
import { LIMITS, MessageFlag } from './limits.js';

/**
 * Checks a message create/edit body (channel messages, interaction responses, webhook messages)
 * against Discord's limits, with Discord's error codes and paths. Used for both creates and edits:
 * an edit is checked on the fields it sends.
 */
export function validateMessageBody(body: JsonRecord, errors: FormErrors, fileCount: number): void {
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  const v2 = (flags & MessageFlag.IsComponentsV2) !== 0;

  if ('content' in body && body.content !== null && body.content !== undefined) {
    if (typeof body.content !== 'string') {
      errors.add(['content'], 'STRING_TYPE_CONVERT', 'Could not interpret value as string.');
    } else {
      maxLength(errors, ['content'], body.content, LIMITS.messageContent);
      if (v2 && body.content.length > 0) legacyWithV2(errors, 'content');
    }
  }

  if (Array.isArray(body.embeds)) {
    if (v2 && body.embeds.length > 0) legacyWithV2(errors, 'embeds');
    validateEmbeds(body.embeds, errors);
  }

  if (Array.isArray(body.components)) {
    if (v2) validateComponentsV2(body.components, errors);
    else validateActionRows(body.components, errors);
  }

  const attachments = arrayOr(body.attachments);
  if (attachments.length > LIMITS.attachmentsPerMessage || fileCount > LIMITS.attachmentsPerMessage) {
    errors.add(
      ['attachments'],
      'BASE_TYPE_MAX_LENGTH',
      `Must be ${LIMITS.attachmentsPerMessage} or fewer in length.`,
    );
  }

  const nonce = body.nonce;
  if (typeof nonce === 'string') maxLength(errors, ['nonce'], nonce, LIMITS.nonce);
  else if (nonce !== undefined && nonce !== null && !Number.isSafeInteger(nonce)) {
    errors.add(['nonce'], 'BASE_TYPE_CONVERT', 'Could not interpret value as string or integer.');
  }

  const reference = body.message_reference;
  if (reference !== undefined && reference !== null && !isRecord(reference)) {
    errors.add(['message_reference'], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
  }
}

function legacyWithV2(errors: FormErrors, field: string): void {
  errors.add(
    [field],
    'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
    `The '${field}' field cannot be used when using MessageFlags.IS_COMPONENTS_V2`,
  );
}

function maxLength(errors: FormErrors, path: (string | number)[], value: string, max: number): void {
  if (charLength(value) > max) errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
}

function requiredString(errors: FormErrors, path: (string | number)[], value: unknown, max: number): number {
  if (typeof value !== 'string' || value.trim().length === 0) {
    errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return 0;
  }
  maxLength(errors, path, value, max);
  return charLength(value);
}

function optionalString(errors: FormErrors, path: (string | number)[], value: unknown, max: number): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'string') {
    errors.add(path, 'STRING_TYPE_CONVERT', 'Could not interpret value as string.');
    return 0;
  }
  maxLength(errors, path, value, max);
  return charLength(value);
}

/** http(s) only, as Discord checks embed and button URLs; attachment:// where the field allows it. */
function checkUrl(
  errors: FormErrors,
  path: (string | number)[],
  value: unknown,
  allowAttachment: boolean,
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') {
    errors.add(path, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
    return;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    errors.add(path, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
    return;
  }
  const scheme = url.protocol.slice(0, -1);
  const allowed = allowAttachment ? ['http', 'https', 'attachment'] : ['http', 'https'];
  if (!allowed.includes(scheme)) {
    errors.add(
      path,
      'URL_TYPE_INVALID_SCHEME',
      `Scheme "${scheme}" is not supported. Scheme must be one of (${allowed.map((s) => `'${s}'`).join(', ')}).`,
    );
  }
}

/** Embed rules: per-field lengths, 25 fields, 10 embeds, 6,000 characters over all of them. */
export function validateEmbeds(embeds: unknown[], errors: FormErrors): void {
  if (embeds.length > LIMITS.embedsPerMessage) {
    errors.add(['embeds'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.embedsPerMessage} or fewer in length.`);
  }
  let total = 0;
  embeds.forEach((raw, i) => {
    const at = (...rest: (string | number)[]) => ['embeds', i, ...rest];
    if (!isRecord(raw)) {
      errors.add(at(), 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    total += optionalString(errors, at('title'), raw.title, LIMITS.embedTitle);
    total += optionalString(errors, at('description'), raw.description, LIMITS.embedDescription);
    checkUrl(errors, at('url'), raw.url, false);
    if (raw.color !== undefined && raw.color !== null) {
      if (
        typeof raw.color !== 'number' ||
        !Number.isInteger(raw.color) ||
        raw.color < 0 ||
        raw.color > 0xffffff
      ) {
        errors.add(at('color'), 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
      }
    }
    if (raw.timestamp !== undefined && raw.timestamp !== null) {
      if (typeof raw.timestamp !== 'string' || Number.isNaN(Date.parse(raw.timestamp))) {
        errors.add(at('timestamp'), 'DATE_TYPE_PARSE', 'Could not parse timestamp. Should be ISO8601.');
      }
    }
    if (isRecord(raw.footer)) {
      total += requiredString(errors, at('footer', 'text'), raw.footer.text, LIMITS.embedFooterText);
      checkUrl(errors, at('footer', 'icon_url'), raw.footer.icon_url, true);
    }
    if (isRecord(raw.author)) {
      total += requiredString(errors, at('author', 'name'), raw.author.name, LIMITS.embedAuthorName);
      checkUrl(errors, at('author', 'url'), raw.author.url, false);
      checkUrl(errors, at('author', 'icon_url'), raw.author.icon_url, true);
    }
    for (const media of ['image', 'thumbnail'] as const) {
      const value = raw[media];
      if (isRecord(value)) checkUrl(errors, at(media, 'url'), value.url, true);
    }
    if (raw.fields !== undefined && raw.fields !== null) {
      const fields = arrayOr(raw.fields);
      if (fields.length > LIMITS.embedFields) {
        errors.add(at('fields'), 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.embedFields} or fewer in length.`);
      }
      fields.forEach((field, j) => {
        if (!isRecord(field)) {
          errors.add(at('fields', j), 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
          return;
        }
        total += requiredString(errors, at('fields', j, 'name'), field.name, LIMITS.embedFieldName);
        total += requiredString(errors, at('fields', j, 'value'), field.value, LIMITS.embedFieldValue);
      });
    }
  });
  if (total > LIMITS.embedTotal) {
    errors.add(
      ['embeds'],
      'MAX_EMBED_SIZE_EXCEEDED',
      `Embed size exceeds maximum size of ${LIMITS.embedTotal}`,
    );
  }
}

const BUTTON = 2;
const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

/** Classic components: ≤ 5 action rows, each ≤ 5 buttons or one select menu; ids unique per message. */
export function validateActionRows(rows: unknown[], errors: FormErrors): void {
  if (rows.length > LIMITS.actionRows) {
    errors.add(['components'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.actionRows} or fewer in length.`);
  }
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (!isRecord(row) || row.type !== 1) {
      errors.add(
        ['components', i, 'type'],
        'UNION_TYPE_CHOICES',
        'Value of field "type" must be one of (1,).',
      );
      return;
    }
    const children = arrayOr(row.components);
    if (children.length === 0 || children.length > LIMITS.componentsPerRow) {
      errors.add(
        ['components', i, 'components'],
        'BASE_TYPE_BAD_LENGTH',
        `Must be between 1 and ${LIMITS.componentsPerRow} in length.`,
      );
    }
    let width = 0;
    children.forEach((child, j) => {
      const at = (...rest: (string | number)[]) => ['components', i, 'components', j, ...rest];
      if (!isRecord(child)) {
        errors.add(at(), 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
        return;
      }
      if (child.type === BUTTON) {
        width += 1;
        validateButton(child, at, errors, seen);
      } else if (typeof child.type === 'number' && SELECT_TYPES.has(child.type)) {
        width += 5;
        validateSelect(child, at, errors, seen);
      } else {
        errors.add(
          at('type'),
          'COMPONENT_TYPE_INVALID',
          'The specified component type is invalid in this context',
        );
      }
    });
    if (width > LIMITS.componentsPerRow) {
      errors.add(
        ['components', i, 'components'],
        'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
        'The specified component exceeds the maximum width',
      );
    }
  });
}

type PathFn = (...rest: (string | number)[]) => (string | number)[];

function validateCustomId(value: unknown, at: PathFn, errors: FormErrors, seen: Set<string>): void {
  if (requiredString(errors, at('custom_id'), value, LIMITS.customId) > 0 && typeof value === 'string') {
    if (seen.has(value)) {
      errors.add(
        at('custom_id'),
        'COMPONENT_CUSTOM_ID_DUPLICATED',
        'Component custom id cannot be duplicated',
      );
    }
    seen.add(value);
  }
}

function validateButton(button: JsonRecord, at: PathFn, errors: FormErrors, seen: Set<string>): void {
  const style = button.style;
  if (typeof style !== 'number' || style < 1 || style > 6) {
    errors.add(at('style'), 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6}.');
    return;
  }
  optionalString(errors, at('label'), button.label, LIMITS.buttonLabel);
  if (style === 5) {
    if (button.custom_id !== undefined) {
      errors.add(
        at('custom_id'),
        'BUTTON_COMPONENT_CUSTOM_ID_MISSING',
        'A custom id is not allowed for link buttons',
      );
    }
    if (button.url === undefined) errors.add(at('url'), 'BASE_TYPE_REQUIRED', 'This field is required');
    else checkUrl(errors, at('url'), button.url, false);
  } else if (style !== 6) {
    validateCustomId(button.custom_id, at, errors, seen);
    if (button.url !== undefined)
      errors.add(at('url'), 'BUTTON_COMPONENT_URL_NOT_ALLOWED', 'A url is not allowed');
  }
  if (
    style !== 6 &&
    (typeof button.label !== 'string' || button.label.length === 0) &&
    !isRecord(button.emoji)
  ) {
    errors.add(at('label'), 'BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED', 'A label or emoji is required');
  }
}

function validateSelect(select: JsonRecord, at: PathFn, errors: FormErrors, seen: Set<string>): void {
  validateCustomId(select.custom_id, at, errors, seen);
  optionalString(errors, at('placeholder'), select.placeholder, LIMITS.selectPlaceholder);
  if (select.type === 3) {
    const options = arrayOr(select.options);
    if (options.length === 0 || options.length > LIMITS.selectOptions) {
      errors.add(
        at('options'),
        'BASE_TYPE_BAD_LENGTH',
        `Must be between 1 and ${LIMITS.selectOptions} in length.`,
      );
    }
    options.forEach((option, k) => {
      const o = isRecord(option) ? option : {};
      requiredString(errors, at('options', k, 'label'), o.label, 100);
      requiredString(errors, at('options', k, 'value'), o.value, 100);
      optionalString(errors, at('options', k, 'description'), o.description, 100);
    });
  }
}

/** Components V2: at most 40 components in all; text displays count towards 4,000 characters. */
function validateComponentsV2(components: unknown[], errors: FormErrors): void {
  let count = 0;
  let text = 0;
  const seen = new Set<string>();
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (!isRecord(node)) return;
    count += 1;
    if (node.type === 10 && typeof node.content === 'string') text += charLength(node.content);
    if (node.type === BUTTON) validateButton(node, (...rest) => [...path, ...rest], errors, seen);
    arrayOr(node.components).forEach((child, i) => {
      walk(child, [...path, 'components', i]);
    });
    if (isRecord(node.accessory)) walk(node.accessory, [...path, 'accessory']);
  };
  components.forEach((c, i) => {
    walk(c, ['components', i]);
  });
  if (count > LIMITS.componentsV2Total) {
    errors.add(
      ['components'],
      'BASE_TYPE_MAX_LENGTH',
      `Must be ${LIMITS.componentsV2Total} or fewer in length.`,
    );
  }
  if (text > 4000) {
    errors.add(
      ['components'],
      'MAX_COMPONENT_TEXT_EXCEEDED',
      'Total text display content exceeds 4000 characters',
    );
  }
}

/**
 * A modal (interaction callback type 9): title ≤ 45, custom id ≤ 100, 1–5 top-level components,
 * each an action row holding one text input or a label (≤ 45) around one; input lengths ≤ 4,000,
 * labels ≤ 45, placeholders ≤ 100.
 */
export function validateModal(data: JsonRecord, errors: FormErrors): void {
  requiredString(errors, ['data', 'custom_id'], data.custom_id, LIMITS.customId);
  requiredString(errors, ['data', 'title'], data.title, LIMITS.modalTitle);
  const components = arrayOr(data.components);
  if (components.length === 0 || components.length > 5) {
    errors.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  }
  components.forEach((top, i) => {
    if (!isRecord(top)) return;
    // An action row in a modal holds exactly one text input; a label names one component.
    if (top.type === 1 && arrayOr(top.components).length !== 1) {
      errors.add(
        ['data', 'components', i, 'components'],
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 1 in length.',
      );
    }
    if (top.type === 18)
      requiredString(errors, ['data', 'components', i, 'label'], top.label, LIMITS.modalLabel);
  });
  const seen = new Set<string>();
  for (const [i, input] of modalInputs(components)) {
    const at = (...rest: (string | number)[]) => ['data', 'components', i, ...rest];
    validateCustomId(input.custom_id, at, errors, seen);
    if (input.type === 4) {
      for (const key of ['min_length', 'max_length'] as const) {
        const v = input[key];
        if (v !== undefined && (typeof v !== 'number' || v < 0 || v > LIMITS.textInputValue)) {
          errors.add(
            at(key),
            'NUMBER_TYPE_MAX',
            `int value should be less than or equal to ${LIMITS.textInputValue}.`,
          );
        }
      }
      optionalString(errors, at('value'), input.value, LIMITS.textInputValue);
      optionalString(errors, at('label'), input.label, LIMITS.modalLabel);
      optionalString(errors, at('placeholder'), input.placeholder, LIMITS.textInputPlaceholder);
    }
  }
}

/** The input components of a modal with their top-level index (rows or labels wrap them). */
export function modalInputs(components: unknown[]): [number, JsonRecord][] {
  const inputs: [number, JsonRecord][] = [];
  components.forEach((top, i) => {
    if (!isRecord(top)) return;
    if (top.type === 1) {
      for (const child of arrayOr(top.components))
        if (isRecord(child) && 'custom_id' in child) inputs.push([i, child]);
    } else if (top.type === 18 && isRecord(top.component)) {
      inputs.push([i, top.component]);
    }
  });
  return inputs;
}

/** Thread names are 1–100 characters after trimming; auto-archive is one of four durations. */
export function validateThreadBody(body: JsonRecord, errors: FormErrors): void {
  const name = typeof body.name === 'string' ? charLength(body.name.trim()) : 0;
  if (name < LIMITS.threadNameMin || name > LIMITS.threadNameMax) {
    errors.add(
      ['name'],
      'BASE_TYPE_BAD_LENGTH',
      `Must be between ${LIMITS.threadNameMin} and ${LIMITS.threadNameMax} in length.`,
    );
  }
  const duration = body.auto_archive_duration;
  if (duration !== undefined && duration !== null) {
    if (
      typeof duration !== 'number' ||
      !(LIMITS.autoArchiveDurations as readonly number[]).includes(duration)
    ) {
      errors.add(
        ['auto_archive_duration'],
        'BASE_TYPE_CHOICES',
        `Value must be one of {${LIMITS.autoArchiveDurations.join(', ')}}.`,
      );
    }
  }
  const slowmode = body.rate_limit_per_user;
  if (slowmode !== undefined && slowmode !== null) {
    if (typeof slowmode !== 'number' || slowmode < 0 || slowmode > 21600) {
      errors.add(
        ['rate_limit_per_user'],
        'NUMBER_TYPE_MAX',
        'int value should be less than or equal to 21600.',
      );
    }
  }
}
