/** Types of scripts/locales.mjs, for the tests that check the catalogues. */
export type Catalogue = Record<string, string>;
export declare const LOCALES: readonly string[];
export declare const CATALOGUE_DIR: string;
export declare function buildCatalogues(): Promise<Record<string, Catalogue>>;
export declare function englishCatalogue(): Catalogue;
export declare function catalogueText(catalogue: Catalogue): string;
