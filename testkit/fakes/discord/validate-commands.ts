import { FormErrors } from './errors.js';
import { arrayOr, charLength, isRecord, type JsonRecord } from './json.js';
import { LIMITS } from './limits.js';

/** Discord's pattern for chat-input command and option names. */
const NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

const OPTION_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
const SUB_TYPES = new Set([1, 2]);

/** Sum of the characters in names, descriptions and choices one command may carry. */
const MAX_COMMAND_SIZE = 8000;

/**
 * Checks a bulk-overwrite body (`PUT /applications/{app}/commands`) as Discord does: names,
 * descriptions, option trees, `max_length`, duplicates and per-type counts. Errors are keyed by
 * the command's index, as in Discord's answer.
 */
export function validateCommandList(body: unknown): FormErrors {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    return errors;
  }
  const counts = new Map<number, number>();
  const names = new Set<string>();
  body.forEach((raw, i) => {
    if (!isRecord(raw)) {
      errors.add([i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    validateCommand(raw, errors, [i]);
    const type = typeof raw.type === 'number' ? raw.type : 1;
    counts.set(type, (counts.get(type) ?? 0) + 1);
    const key = `${type}:${String(raw.name)}`;
    if (names.has(key)) {
      errors.add(
        [i, 'name'],
        'APPLICATION_COMMANDS_DUPLICATE_NAME',
        'Application command names must be unique',
      );
    }
    names.add(key);
  });
  if ((counts.get(1) ?? 0) > LIMITS.chatInputCommands) {
    errors.add([], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.chatInputCommands} or fewer in length.`);
  }
  for (const type of [2, 3]) {
    if ((counts.get(type) ?? 0) > LIMITS.contextMenuCommandsPerType) {
      errors.add(
        [],
        'APPLICATION_COMMANDS_TOO_MANY_CONTEXT_MENU',
        `Maximum number of ${type === 2 ? 'user' : 'message'} context menu commands reached (${LIMITS.contextMenuCommandsPerType})`,
      );
    }
  }
  return errors;
}

/** Checks one command (`POST /applications/{app}/commands` or one entry of a bulk overwrite). */
export function validateCommand(command: JsonRecord, errors: FormErrors, at: (string | number)[]): void {
  const type = command.type ?? 1;
  if (type !== 1 && type !== 2 && type !== 3 && type !== 4) {
    errors.add([...at, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4}.');
    return;
  }
  const name = command.name;
  if (typeof name !== 'string' || charLength(name) < 1 || charLength(name) > LIMITS.commandName) {
    errors.add(
      [...at, 'name'],
      'BASE_TYPE_BAD_LENGTH',
      `Must be between 1 and ${LIMITS.commandName} in length.`,
    );
  } else if (type === 1 && !isValidChatInputName(name)) {
    errors.add([...at, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  const description = command.description;
  if (type === 1) {
    checkDescription(description, errors, [...at, 'description']);
    const options = arrayOr(command.options);
    validateOptions(options, errors, [...at, 'options'], 0);
    if (commandSize(command) > MAX_COMMAND_SIZE) {
      errors.add(at, 'APPLICATION_COMMAND_TOO_LARGE', `Command exceeds maximum size (${MAX_COMMAND_SIZE})`);
    }
  } else {
    if (description !== undefined && description !== null && description !== '') {
      errors.add(
        [...at, 'description'],
        'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID',
        'Context menu commands cannot have description',
      );
    }
    if (arrayOr(command.options).length > 0) {
      errors.add(
        [...at, 'options'],
        'APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS_INVALID',
        'Context menu commands cannot have options',
      );
    }
  }
}

/** Letters must be lower case where a lower-case form exists. */
export function isValidChatInputName(name: string): boolean {
  return NAME_PATTERN.test(name) && name === name.toLowerCase();
}

function checkDescription(value: unknown, errors: FormErrors, path: (string | number)[]): void {
  if (typeof value !== 'string' || charLength(value) < 1 || charLength(value) > LIMITS.commandDescription) {
    errors.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${LIMITS.commandDescription} in length.`);
  }
}

function validateOptions(
  options: unknown[],
  errors: FormErrors,
  at: (string | number)[],
  depth: number,
): void {
  if (options.length > LIMITS.commandOptions) {
    errors.add(at, 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.commandOptions} or fewer in length.`);
  }
  const names = new Set<string>();
  let sawOptional = false;
  let sawSub = false;
  let sawValue = false;
  options.forEach((raw, i) => {
    const path = [...at, i];
    if (!isRecord(raw)) {
      errors.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    const type = raw.type;
    if (typeof type !== 'number' || !OPTION_TYPES.has(type)) {
      errors.add(
        [...path, 'type'],
        'BASE_TYPE_CHOICES',
        'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.',
      );
      return;
    }
    if (typeof raw.name !== 'string' || !isValidChatInputName(raw.name)) {
      errors.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    } else {
      if (names.has(raw.name)) {
        errors.add(
          [...path, 'name'],
          'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
          'Option names must be unique',
        );
      }
      names.add(raw.name);
    }
    checkDescription(raw.description, errors, [...path, 'description']);
    if (SUB_TYPES.has(type)) {
      sawSub = true;
      if (type === 2 && depth > 0) {
        errors.add(
          [...path, 'type'],
          'APPLICATION_COMMAND_OPTION_TYPE_INVALID',
          'Subcommand groups cannot be nested',
        );
      }
      validateOptions(arrayOr(raw.options), errors, [...path, 'options'], depth + 1);
      return;
    }
    sawValue = true;
    if (raw.required === true) {
      if (sawOptional) {
        errors.add(
          [...path, 'required'],
          'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          'Required options must be placed before non-required options',
        );
      }
    } else {
      sawOptional = true;
    }
    if (type === 3) {
      checkLengthBound(raw.min_length, 0, errors, [...path, 'min_length']);
      checkLengthBound(raw.max_length, 1, errors, [...path, 'max_length']);
    }
    const choices = arrayOr(raw.choices);
    if (choices.length > LIMITS.commandChoices) {
      errors.add(
        [...path, 'choices'],
        'BASE_TYPE_MAX_LENGTH',
        `Must be ${LIMITS.commandChoices} or fewer in length.`,
      );
    }
    choices.forEach((choice, k) => {
      const c = isRecord(choice) ? choice : {};
      if (typeof c.name !== 'string' || c.name.length < 1 || c.name.length > 100) {
        errors.add(
          [...path, 'choices', k, 'name'],
          'BASE_TYPE_BAD_LENGTH',
          'Must be between 1 and 100 in length.',
        );
      }
      if (typeof c.value === 'string' && c.value.length > 100) {
        errors.add(
          [...path, 'choices', k, 'value'],
          'BASE_TYPE_MAX_LENGTH',
          'Must be 100 or fewer in length.',
        );
      }
    });
  });
  if (sawSub && sawValue) {
    errors.add(
      at,
      'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
      'Sub-command and sub-command group option types are mutually exclusive to all other types',
    );
  }
}

function checkLengthBound(value: unknown, min: number, errors: FormErrors, path: (string | number)[]): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    errors.add(path, 'NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`);
  } else if (value > LIMITS.stringOptionMaxLength) {
    errors.add(
      path,
      'NUMBER_TYPE_MAX',
      `int value should be less than or equal to ${LIMITS.stringOptionMaxLength}.`,
    );
  } else if (value < min) {
    errors.add(path, 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${min}.`);
  }
}

function commandSize(command: JsonRecord): number {
  let size = 0;
  const walk = (node: JsonRecord): void => {
    if (typeof node.name === 'string') size += node.name.length;
    if (typeof node.description === 'string') size += node.description.length;
    for (const choice of arrayOr(node.choices)) {
      if (isRecord(choice)) {
        size += String(choice.name ?? '').length + String(choice.value ?? '').length;
      }
    }
    for (const option of arrayOr(node.options)) if (isRecord(option)) walk(option);
  };
  walk(command);
  return size;
}
