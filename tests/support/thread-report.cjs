// Test-only preload (`node --require`): at exit, says on stderr how many worker threads the process started and
// whether its main thread loaded sharp.
const Module = require("node:module");
const threads = require("node:worker_threads");
const { Worker } = threads;
let started = 0;
let sharpHere = false;
threads.Worker = class CountedWorker extends Worker {
  constructor(...args) {
    super(...args);
    started += 1;
  }
};
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "sharp") sharpHere = true;
  return load.call(this, request, ...rest);
};
process.on("exit", () => process.stderr.write(`worker threads started: ${started}; sharp in the main thread: ${sharpHere}\n`));
