/** Types of scripts/bundle-pins.mjs, for its test. */
export declare const PIN_TOKEN: string;
export declare function sri(bytes: Uint8Array): string;
export declare function writePins(dist: string, entries: readonly string[]): number;
