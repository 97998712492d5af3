/** The package version, for /_sandbox and the OpenAPI document. */
export const SANDBOX_VERSION = '0.1.0';
