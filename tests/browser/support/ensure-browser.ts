/**
 * Finds a browser binary for the tests, installing the Debian package when that is possible here (root with
 * apt-get). Otherwise it fails with the one command to run: the browser tests are never skipped silently.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface BrowserPackage {
  /** e.g. "/usr/bin/chromium" */
  executable: string;
  /** Debian package that provides it, e.g. "chromium" */
  aptPackage: string;
}

export function ensureBrowser({ executable, aptPackage }: BrowserPackage): string {
  if (existsSync(executable)) return executable;
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (canInstall) {
    const options = { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } } as const;
    execFileSync("apt-get", ["update"], options);
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", aptPackage], options);
    if (existsSync(executable)) return executable;
  }
  throw new Error(
    `The browser tests need ${executable}, which is not installed. Install it with:\n` +
      `  sudo apt-get install -y ${aptPackage}\n` +
      "then run npm test again.",
  );
}
