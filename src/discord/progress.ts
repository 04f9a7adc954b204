/**
 * Shows the current step of a request only when it lasts longer than `delayMs` (a step that ends
 * sooner is never shown, so fast requests go straight from "thinking…" to the answer). Updates are
 * sent one at a time, and `done()` waits for the last one so a later final edit always wins.
 */
export class Progress {
  readonly #show: (text: string) => Promise<unknown>;
  readonly #delayMs: number;
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #finished = false;
  #shown: string | null = null;

  constructor(show: (text: string) => Promise<unknown>, delayMs: number) {
    this.#show = show;
    this.#delayMs = delayMs;
  }

  step(text: string): void {
    if (this.#finished) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (this.#finished || this.#shown === text) return;
      this.#shown = text;
      this.#chain = this.#chain
        .then(() => (this.#finished ? undefined : this.#show(text)))
        .catch(() => undefined);
    }, this.#delayMs);
    this.#timer.unref();
  }

  async done(): Promise<void> {
    this.#finished = true;
    clearTimeout(this.#timer);
    await this.#chain;
  }
}
