/** Types of scripts/bundle-files.mjs, for its test. */
export declare const BUNDLE_ENTRY: string;
export declare function referencesOf(dist: string, file: string): string[];
export declare function bundleFiles(dist: string, entry?: string): string[];
