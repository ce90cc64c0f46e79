import { defineConfig } from "vitest/config";

// Generous limits: tests hash real photos and drive real browsers on a shared 2-core machine. Speed is measured by
// `npm run bench`, never by a test's clock.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
