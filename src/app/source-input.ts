import type { Article } from '../article/article.js';

/**
 * A file a user attached, as the chat service describes it before anything is downloaded: its
 * name, size in bytes (as stated), content type and the URL it is served from.
 */
export interface RemoteFile {
  readonly name: string;
  readonly size: number;
  readonly contentType: string | null;
  readonly url: string;
}

/**
 * What a user asked to summarize, before anything is fetched or downloaded. A text's `source` is
 * where it came from: a web address there (a chat message's link) is what its quotes point to.
 */
export type SourceInput =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'text'; readonly text: string; readonly source: string; readonly title?: string }
  /** `source`: where the file was shared (a chat message's link), which its quotes point to. */
  | { readonly kind: 'attachment'; readonly attachment: RemoteFile; readonly source?: string }
  /** An article kept in the store: a pasted text or a file, asked for again after a restart. */
  | { readonly kind: 'article'; readonly article: Article };
