// Comlink ships this adapter's types only next to its UMD build, which NodeNext does not pair with the ESM file.
declare module "comlink/dist/esm/node-adapter.mjs" {
  import type { Endpoint } from "comlink";
  import type { NodeEndpoint } from "comlink/dist/umd/node-adapter.js";
  export default function nodeEndpoint(endpoint: NodeEndpoint): Endpoint;
}
