/**
 * `<ncii-hasher-thumbnail>`: a small local preview of a picture, drawn into a canvas.
 *
 * Why a canvas and not `<img src="blob:...">`: a blob: image is blocked by a partner's strict CSP
 * (`img-src` falls back to `default-src 'self'`, which does not match blob:), and a canvas holds only the
 * small preview, never a URL that other scripts on the page could read the file through.
 * Previews are drawn only once the file has been fingerprinted (so its size is already known to be sane), only
 * when scrolled into view, and one at a time, so a folder of 1,000 photos does not decode 1,000 photos at once.
 */

const SIDE = 96;

let drawing: Promise<void> = Promise.resolve();

function drawInTurn(task: () => Promise<void>): void {
  drawing = drawing.then(task, task);
}

const visibility = typeof IntersectionObserver === "function"
  ? new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) (entry.target as NciiHasherThumbnail).scheduleDraw();
    }
  }, { rootMargin: "200px" })
  : null;

export class NciiHasherThumbnail extends HTMLElement {
  #file: File | null = null;
  #drawn = false;
  #queued = false;
  readonly #canvas = document.createElement("canvas");

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
      ":host{display:block;overflow:hidden}canvas{display:block;width:100%;height:100%;object-fit:cover}",
    );
    root.adoptedStyleSheets = [sheet];
    this.#canvas.width = 0;
    this.#canvas.height = 0;
    root.append(this.#canvas);
  }

  /**
   * Set once the file has been fingerprinted; null until then. Write-only: reading `file` gives undefined, so no
   * script of the host page can reach the picture through the element.
   */
  set file(file: File | null) {
    if (file === this.#file) return;
    this.#file = file;
    this.#drawn = false;
    if (file && this.isConnected) this.#watch();
  }

  connectedCallback(): void {
    if (this.#file && !this.#drawn) this.#watch();
  }

  disconnectedCallback(): void {
    visibility?.unobserve(this);
  }

  #watch(): void {
    if (visibility) visibility.observe(this);
    else this.scheduleDraw();
  }

  scheduleDraw(): void {
    visibility?.unobserve(this);
    if (this.#drawn || this.#queued) return;
    this.#queued = true;
    drawInTurn(async () => {
      this.#queued = false;
      const file = this.#file;
      if (!file || !this.isConnected || this.#drawn) return;
      this.#drawn = true;
      await this.#draw(file).catch(() => {
        // A preview is a courtesy: the fingerprint is what matters, so a picture the main thread cannot preview
        // keeps its empty frame.
      });
    });
  }

  async #draw(file: File): Promise<void> {
    const full = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, SIDE / Math.min(full.width, full.height));
    const small = await createImageBitmap(full, {
      resizeWidth: Math.max(1, Math.round(full.width * scale)),
      resizeHeight: Math.max(1, Math.round(full.height * scale)),
      resizeQuality: "medium",
    });
    full.close();
    if (file !== this.#file) {
      small.close();
      return;
    }
    this.#canvas.width = small.width;
    this.#canvas.height = small.height;
    this.#canvas.getContext("bitmaprenderer")?.transferFromImageBitmap(small);
  }
}

if (!customElements.get("ncii-hasher-thumbnail")) customElements.define("ncii-hasher-thumbnail", NciiHasherThumbnail);

declare global {
  interface HTMLElementTagNameMap {
    "ncii-hasher-thumbnail": NciiHasherThumbnail;
  }
}
