/** Defaults the command line shows in its help without loading the server. */
export const DEFAULT_DATA_DIR = '.sandbox-data';
