export const RECOUP_VERSION = '0.1.0';
