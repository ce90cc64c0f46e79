import type { ReactiveController, ReactiveElement } from "lit";
import { ENGLISH, languageFor, nearestLang, speaking, watchLanguage, type Language } from "./language.js";

/** How long the first rendering waits for a catalogue before it shows English (and switches once it arrives). */
const FIRST_WORDS_WAIT_MS = 3000;

/**
 * The language an element speaks: that of its nearest `lang`, followed as it changes. The element renders in the
 * old language until the new one's words are here.
 */
export class ElementLanguage implements ReactiveController {
  language: Language = ENGLISH;
  /** The newest language asked for; an older one that arrives late is dropped. */
  #loading: Promise<void> | undefined;
  #stopWatching: (() => void) | undefined;

  constructor(private readonly host: ReactiveElement) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#stopWatching = watchLanguage(() => this.follow());
    this.follow();
  }

  hostDisconnected(): void {
    this.#stopWatching?.();
  }

  /** Looks up the nearest `lang` again (the host calls this when its own `lang` changes). */
  follow(): void {
    const loading = languageFor(nearestLang(this.host)).then((language) => {
      if (this.#loading !== loading || language === this.language) return;
      this.language = language;
      this.host.requestUpdate();
    });
    this.#loading = loading;
  }

  /** Settles once the words of the language asked for are here, or after a wait for slow networks. */
  firstWords(): Promise<unknown> {
    return Promise.race([this.#loading, new Promise((resolve) => setTimeout(resolve, FIRST_WORDS_WAIT_MS))]);
  }

  /** Runs `words` with every `msg` inside answering in this language. */
  speak<T>(words: () => T): T {
    return speaking(this.language, words);
  }
}
