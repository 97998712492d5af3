/** The vendor's v2 models (PascalCase). */
export {};
