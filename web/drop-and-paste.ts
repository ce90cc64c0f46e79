import type { ReactiveController, ReactiveControllerHost } from "lit";
import { fromClipboard, readDroppedEntries, takeDroppedEntries, type Intake } from "./file-intake.js";

/**
 * Files and folders dropped or pasted onto the host element, handed over as one `Intake` each time; `dragging`
 * while files are held over it.
 */
export class DropAndPaste implements ReactiveController {
  dragging = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly take: (intake: Intake) => void,
    /** A drop whose folders could not be read. */
    private readonly unreadable: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener("dragover", this.#onDragOver);
    this.host.addEventListener("dragleave", this.#onDragLeave);
    this.host.addEventListener("drop", this.#onDrop);
    this.host.addEventListener("paste", this.#onPaste);
  }

  hostDisconnected(): void {
    this.host.removeEventListener("dragover", this.#onDragOver);
    this.host.removeEventListener("dragleave", this.#onDragLeave);
    this.host.removeEventListener("drop", this.#onDrop);
    this.host.removeEventListener("paste", this.#onPaste);
  }

  #setDragging(dragging: boolean): void {
    if (this.dragging === dragging) return;
    this.dragging = dragging;
    this.host.requestUpdate();
  }

  #onDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    this.#setDragging(true);
  };

  #onDragLeave = (event: DragEvent): void => {
    if (event.relatedTarget instanceof Node && this.host.contains(event.relatedTarget)) return;
    this.#setDragging(false);
  };

  #onDrop = (event: DragEvent): void => {
    if (!event.dataTransfer) return;
    event.preventDefault();
    this.#setDragging(false);
    // The entries must be taken before this handler returns: the DataTransfer is emptied after.
    void readDroppedEntries(takeDroppedEntries(event.dataTransfer)).then(this.take, this.unreadable);
  };

  #onPaste = (event: ClipboardEvent): void => {
    const intake = fromClipboard(event.clipboardData);
    if (intake.files.length === 0) return;
    event.preventDefault();
    this.take(intake);
  };
}
