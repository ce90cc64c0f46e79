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
    // Test files run in parallel and each may find its browser missing on a fresh machine: flock makes them take
    // turns (a second apt-get would fail on dpkg's lock), and a later turn finds the package already there.
    const install = `apt-get update && apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends ${aptPackage}`;
    execFileSync("flock", ["/tmp/ncii-hasher-apt.lock", "sh", "-c", install], options);
    if (existsSync(executable)) return executable;
  }
  throw new Error(
    `The browser tests need ${executable}, which is not installed. Install it with:\n` +
      `  sudo apt-get install -y ${aptPackage}\n` +
      "then run npm test again.",
  );
}
