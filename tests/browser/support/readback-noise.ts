/**
 * Read-back noise as Brave's farbling and Safari's private windows add it: a few bytes of every pixel read-back
 * (2D canvas getImageData, WebGL readPixels, VideoFrame.copyTo) flipped in their lowest bit, in the page and in
 * every worker it starts. A page-level script cannot reach into a worker, so the Worker constructor is wrapped: each
 * worker first imports the same patch, then its real script. Plain JavaScript in a string, so that it runs
 * as written in the browser (no test-runner transform reaches it).
 */
const ADD_READBACK_NOISE = `function addReadbackNoise() {
  const flipSome = (bytes) => { for (let i = 0; i < bytes.length; i += 61) bytes[i] ^= 1; };
  for (const name of ["CanvasRenderingContext2D", "OffscreenCanvasRenderingContext2D"]) {
    const prototype = globalThis[name] && globalThis[name].prototype;
    if (!prototype) continue;
    const original = prototype.getImageData;
    prototype.getImageData = function (...args) {
      const image = original.apply(this, args);
      flipSome(image.data);
      return image;
    };
  }
  for (const name of ["WebGLRenderingContext", "WebGL2RenderingContext"]) {
    const prototype = globalThis[name] && globalThis[name].prototype;
    if (!prototype) continue;
    const original = prototype.readPixels;
    prototype.readPixels = function (...args) {
      original.apply(this, args);
      if (ArrayBuffer.isView(args[6])) flipSome(new Uint8Array(args[6].buffer, args[6].byteOffset, args[6].byteLength));
    };
  }
  if (globalThis.VideoFrame) {
    const original = VideoFrame.prototype.copyTo;
    VideoFrame.prototype.copyTo = async function (target, options) {
      const layout = await original.call(this, target, options);
      const view = ArrayBuffer.isView(target) ? target : new Uint8Array(target);
      flipSome(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
      return layout;
    };
  }
  if (typeof document !== "undefined") {
    const NativeWorker = Worker;
    globalThis.Worker = function (url, options) {
      const script = new URL(url, location.href).href;
      const patch = "(" + addReadbackNoise.toString() + ")();";
      const blob = (text) => URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
      // Static imports run in order, and a module worker takes messages only once they have run.
      const source = options && options.type === "module"
        ? "import " + JSON.stringify(blob(patch)) + "; import " + JSON.stringify(script) + ";"
        : patch + "\\nimportScripts(" + JSON.stringify(script) + ");";
      return new NativeWorker(blob(source), options);
    };
  }
}`;

/** The script to run in every page, before its own scripts. */
export const READBACK_NOISE_SCRIPT = `(${ADD_READBACK_NOISE})();`;
