/**
 * Finds the real ImageMagick `convert` (or IM7 `magick`). The first `convert` on PATH may be a wrapper script or a
 * stand-in, so a candidate counts only if it resolves to a native executable that says it is ImageMagick.
 */
import { execFileSync } from "node:child_process";
import { closeSync, openSync, readSync, realpathSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Debian/Ubuntu, like make-photos.sh's `apt-get download`; root (containers, CI) has no sudo to prefix. */
export const IMAGEMAGICK_INSTALL_COMMAND = `${process.getuid?.() === 0 ? "" : "sudo "}apt-get install -y imagemagick`;

const NAMES = ["convert", "magick"];
const STANDARD_DIRS = ["/usr/bin", "/bin", "/usr/local/bin", "/opt/homebrew/bin"];
const NATIVE_MAGICS = [
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]), // ELF
  Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), // Mach-O 64-bit
  Buffer.from([0xca, 0xfe, 0xba, 0xbe]), // Mach-O universal
];

function candidatePaths(): string[] {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...STANDARD_DIRS];
  const seen = new Set<string>();
  const found: string[] = [];
  for (const dir of dirs) {
    for (const name of NAMES) {
      let real: string;
      try {
        real = realpathSync(join(dir, name));
      } catch {
        continue;
      }
      if (!seen.has(real)) {
        seen.add(real);
        found.push(real);
      }
    }
  }
  return found;
}

function isNativeExecutable(path: string): boolean {
  const head = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    if (readSync(fd, head, 0, 4, 0) < 4) return false;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return NATIVE_MAGICS.some((magic) => head.equals(magic));
}

function saysImageMagick(path: string): boolean {
  try {
    return /ImageMagick/.test(execFileSync(path, ["-version"], { encoding: "utf8", timeout: 10_000 }));
  } catch {
    return false;
  }
}

/** Absolute path of a real ImageMagick binary that accepts `convert` syntax, or undefined. */
export function findImageMagick(): string | undefined {
  return candidatePaths().find((path) => isNativeExecutable(path) && saysImageMagick(path));
}
