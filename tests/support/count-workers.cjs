// Test-only preload (`node --require`): counts the worker threads the process starts and says so on stderr at exit.
const threads = require("node:worker_threads");
const { Worker } = threads;
let started = 0;
threads.Worker = class CountedWorker extends Worker {
  constructor(...args) {
    super(...args);
    started += 1;
  }
};
process.on("exit", () => process.stderr.write(`worker threads started: ${started}\n`));
