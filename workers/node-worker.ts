/** Entry script of each Node worker thread started by `createNodePool`. */
import { exposeToParentThread, nodeWorkerApi } from "./node-worker-api.js";

exposeToParentThread(nodeWorkerApi);
