/**
 * A tiny static file server on 127.0.0.1 for the browser tests: serves the built dist/ (or extra in-memory
 * pages), sets the response headers a test asks for (CSP, CORS), and records every request that reaches it.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";

const MIME_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

export interface ServedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
}

export interface StaticServerOptions {
  /** Folder served at "/". */
  root: string;
  /** Served instead of files, by path ("/partner.html" -> HTML text). */
  pages?: Record<string, string>;
  /** Added to every response. */
  headers?: Record<string, string>;
}

export interface StaticServer {
  /** "http://127.0.0.1:<port>" */
  origin: string;
  requests: ServedRequest[];
  close(): Promise<void>;
}

export async function startStaticServer({ root, pages = {}, headers = {} }: StaticServerOptions): Promise<StaticServer> {
  const requests: ServedRequest[] = [];
  const server: Server = createServer(async (request, response) => {
    let bodyBytes = 0;
    for await (const chunk of request) bodyBytes += (chunk as Buffer).length;
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    requests.push({ method: request.method ?? "", path, headers: request.headers, bodyBytes });
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.setHeader("Cache-Control", "no-store");
    const page = pages[path];
    if (page !== undefined) {
      response.writeHead(200, { "Content-Type": MIME_TYPES[".html"] }).end(page);
      return;
    }
    const file = join(resolve(root), path === "/" ? "index.html" : path);
    if (request.method !== "GET" || !file.startsWith(resolve(root) + sep)) {
      response.writeHead(request.method === "GET" ? 403 : 405).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { "Content-Type": MIME_TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
