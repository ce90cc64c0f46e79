/** Types of scripts/source-edits.mjs. */
export interface SourceEdit {
  start: number;
  end: number;
  text: string;
}
export declare function applyEdits(code: string, edits: readonly SourceEdit[]): string;
export declare function isImportMetaUrl(node: unknown): boolean;
export declare function fileUrls(code: string, file: string): { start: number; end: number; path: string }[];
