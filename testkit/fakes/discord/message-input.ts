import { discordErrors, FormErrors } from './errors.js';
import type { RouteContext } from './http-server.js';
import { arrayOr, cloneJson, isRecord, type JsonRecord } from './json.js';
import type { ApiAttachment, ApiMessage, RecordedPayload } from './model.js';
import { validateMessageBody } from './validate-message.js';
import type { World } from './world.js';

export interface MessageInput {
  readonly body: JsonRecord;
  /** Attachments made from this request's uploaded files (already on the file server). */
  readonly attachments: ApiAttachment[];
  readonly payload: RecordedPayload;
}

/**
 * Validates a message body (JSON or multipart) and stores its files. `existing` is the message an
 * edit applies to: an edit may not leave a message empty either (50006).
 */
export function readMessageInput(
  ctx: RouteContext,
  world: World,
  kind: RecordedPayload['kind'],
  existing: ApiMessage | null,
  source: unknown = ctx.body,
): MessageInput {
  const body = isRecord(source) ? source : {};
  const errors = new FormErrors();
  validateMessageBody(body, errors, ctx.files.length);
  errors.throwIfAny();

  const described = new Map<string, JsonRecord>();
  for (const entry of arrayOr(body.attachments)) {
    if (isRecord(entry) && entry.id !== undefined) described.set(String(entry.id), entry);
  }
  const attachments = ctx.files.map((file) => {
    const meta = described.get(String(file.index));
    const filename = typeof meta?.filename === 'string' ? meta.filename : file.filename;
    const description = typeof meta?.description === 'string' ? meta.description : undefined;
    return world.storeFile(filename, file.contentType, file.bytes, description);
  });

  const would = {
    content: 'content' in body ? body.content : (existing?.content ?? ''),
    embeds: 'embeds' in body ? arrayOr(body.embeds) : (existing?.embeds ?? []),
    components: 'components' in body ? arrayOr(body.components) : (existing?.components ?? []),
    attachments:
      ('attachments' in body
        ? (existing?.attachments ?? []).filter((a) =>
            arrayOr(body.attachments).some((x) => isRecord(x) && String(x.id) === a.id),
          ).length
        : (existing?.attachments.length ?? 0)) + attachments.length,
  };
  const empty =
    (typeof would.content !== 'string' || would.content.length === 0) &&
    would.embeds.length === 0 &&
    would.components.length === 0 &&
    would.attachments === 0 &&
    body.poll === undefined &&
    arrayOr(body.sticker_ids).length === 0;
  if (empty) throw discordErrors.emptyMessage();

  const payload: RecordedPayload = {
    kind,
    at: world.now,
    method: ctx.method,
    path: ctx.path,
    body: cloneJson(body),
    files: ctx.files.map((f) => ({
      field: f.field,
      filename: f.filename,
      contentType: f.contentType,
      size: f.bytes.byteLength,
    })),
  };
  return { body, attachments, payload };
}
